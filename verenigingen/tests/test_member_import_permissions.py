"""Only staff (Verenigingen Administrator, Verenigingen Manager, System Manager) may read or run an import."""

import frappe
from frappe.utils.background_jobs import get_job

from verenigingen.member_import import DOCTYPE
from verenigingen.member_import.runs import job_id
from verenigingen.member_import.validation import run_validation
from verenigingen.permissions import ADMINISTRATOR_ROLE, MANAGER_ROLE, MEMBER_ROLE
from verenigingen.tests.factories import make_user
from verenigingen.tests.import_factories import ImportTestCase, make_import, sample_bytes
from verenigingen.utils import mijnrood_import as api

BUTTONS = ("validate_import", "start_import", "download_errors", "get_import_progress")


class TestImportPermissions(ImportTestCase):
	def setUp(self):
		super().setUp()
		self.name = make_import(*sample_bytes("xlsx"))
		self.outsiders = [
			make_user(roles=(MEMBER_ROLE,)),
			make_user(roles=(), user_type="System User"),
		]
		self.staff = [
			make_user(roles=(role,), user_type="System User")
			for role in (MANAGER_ROLE, ADMINISTRATOR_ROLE, "System Manager")
		]
		frappe.db.commit()

	def test_users_without_import_roles_can_neither_run_nor_read(self):
		for user in self.outsiders:
			with self.subTest(user=user.name, roles=[r.role for r in user.roles]):
				frappe.set_user(user.name)
				for button in BUTTONS:
					self.assertRaises(frappe.PermissionError, getattr(api, button), self.name)
				self.assertRaises(frappe.PermissionError, api.get_import_defaults)
				self.assertFalse(frappe.has_permission(DOCTYPE, "read", self.name))
				self.assertRaises(frappe.PermissionError, frappe.get_list, DOCTYPE)
				doc = frappe.get_doc(DOCTYPE, self.name)
				self.assertRaises(frappe.PermissionError, doc.check_permission, "read")
				self.assertRaises(frappe.PermissionError, run_validation, self.name, None)
				frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value(DOCTYPE, self.name, "status"), "Draft")

	def test_import_roles_can_create_validate_and_follow_an_import(self):
		for user in self.staff:
			with self.subTest(user=user.name, roles=[r.role for r in user.roles]):
				frappe.set_user(user.name)
				name = make_import(*sample_bytes("csv-utf8-bom"))
				self.assertTrue(frappe.has_permission(DOCTYPE, "read", name))
				result = api.validate_import(name)
				frappe.db.commit()
				self.addCleanup(lambda job=result["job_id"]: get_job(job) and get_job(job).delete())
				self.assertEqual(api.get_import_progress(name)["status"], "Validating")
				self.assertEqual(
					set(api.get_import_defaults()), {"create_user_accounts", "send_welcome_emails"}
				)
				self.assertEqual(result["job_id"], job_id(name, 1))
				frappe.set_user("Administrator")
