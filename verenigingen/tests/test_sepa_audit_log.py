"""The SEPA Audit Log is append-only for everyone: Desk, REST, frappe.client, Administrator included."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from verenigingen.sepa import AUDIT_LOG, MANDATE_CREATION
from verenigingen.sepa.audit import purge_expired, record_event
from verenigingen.tests.http_session import ApiSession, WebServer, make_user_with_password

PASSWORD = "Audit-Log-Test-2026!"
FULL_IBAN = "NL91ABNA0417164300"


def make_row() -> str:
	name = record_event(
		MANDATE_CREATION,
		"Test Event",
		"Compliant",
		entity_name=f"Member X {FULL_IBAN}",
		details={"iban": FULL_IBAN},
	)
	frappe.db.commit()
	return name


def snapshot(name: str) -> dict:
	frappe.db.rollback()
	return frappe.db.get_value(AUDIT_LOG, name, "*", as_dict=True)


def refused_deletions(name: str) -> int:
	frappe.db.rollback()
	return frappe.db.count(AUDIT_LOG, {"action": "Deletion Refused", "reference_name": name})


class TestAuditLogInProcess(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.row = make_row()
		self.before = snapshot(self.row)
		self.sysman = make_user_with_password(PASSWORD, roles=("System Manager",), user_type="System User")
		frappe.db.commit()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_ibans_are_masked_in_entity_and_details(self):
		self.assertNotIn(FULL_IBAN, self.before.entity_name + self.before.details)
		self.assertIn("NL91****4300", self.before.entity_name)
		self.assertEqual(json.loads(self.before.details)["iban"], "NL91****4300")

	def test_system_manager_cannot_insert_change_or_delete_through_frappe_client(self):
		"""frappe.client.insert / set_value / delete and a Desk form save all fail; the row is unchanged."""
		import frappe.client
		from frappe.desk.form.save import savedocs

		frappe.set_user(self.sysman.name)
		attempts = {
			"insert": lambda: frappe.client.insert(
				{
					"doctype": AUDIT_LOG,
					"event_id": "X-1",
					"timestamp": "2026-01-01",
					"process_type": MANDATE_CREATION,
					"compliance_status": "Compliant",
				}
			),
			"set_value": lambda: frappe.client.set_value(AUDIT_LOG, self.row, "action", "Tampered"),
			"delete": lambda: frappe.client.delete(AUDIT_LOG, self.row),
			"desk save": lambda: savedocs(
				json.dumps(
					{**frappe.get_doc(AUDIT_LOG, self.row).as_dict(), "compliance_status": "Failed"},
					default=str,
				),
				"Save",
			),
		}
		for what, attempt in attempts.items():
			with self.subTest(what), self.assertRaises(frappe.PermissionError):
				attempt()
		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.exists(AUDIT_LOG, "X-1"))
		self.assertEqual(refused_deletions(self.row), 1)
		self.assertEqual(snapshot(self.row), self.before)

	def test_administrator_cannot_change_or_delete_either(self):
		"""Role checks do not apply to Administrator; the controller still refuses, and records the deletion."""
		doc = frappe.get_doc(AUDIT_LOG, self.row)
		doc.action = "Tampered"
		with self.assertRaises(frappe.PermissionError):
			doc.save()
		with self.assertRaises(frappe.PermissionError):
			frappe.delete_doc(AUDIT_LOG, self.row)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{
					"doctype": AUDIT_LOG,
					"event_id": "X-2",
					"timestamp": "2026-01-01",
					"process_type": MANDATE_CREATION,
					"compliance_status": "Compliant",
				}
			).insert()
		frappe.db.rollback()  # as a request would: the refusal's record must outlive it
		self.assertEqual(refused_deletions(self.row), 1)
		self.assertEqual(snapshot(self.row), self.before)

	def test_retention_removes_old_rows_and_records_it(self):
		"""Rows older than the retention period go, the purge itself is recorded; newer rows stay."""
		old = make_row()
		frappe.db.sql(
			"update `tabSEPA Audit Log` set timestamp = '2010-01-01' where name = %(name)s", {"name": old}
		)
		self.assertGreaterEqual(purge_expired(), 1)
		self.assertFalse(frappe.db.exists(AUDIT_LOG, old))
		self.assertTrue(frappe.db.exists(AUDIT_LOG, self.row))
		self.assertTrue(frappe.db.exists(AUDIT_LOG, {"action": "Retention Purge"}))


class TestAuditLogOverRest(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.server = WebServer(frappe.local.site).start()

	@classmethod
	def tearDownClass(cls):
		cls.server.stop()
		super().tearDownClass()

	def test_rest_create_edit_delete_fail_for_system_manager(self):
		"""POST, PUT and DELETE /api/resource as System Manager are refused; the row is unchanged."""
		row = make_row()
		before = snapshot(row)
		user = make_user_with_password(PASSWORD, roles=("System Manager",), user_type="System User")
		frappe.db.commit()
		session = ApiSession(self.server.url, user.name, PASSWORD)
		base = f"{self.server.url}/api/resource/{AUDIT_LOG}"
		responses = {
			"POST": session.http.post(
				base,
				json={
					"event_id": "X-3",
					"timestamp": "2026-01-01 00:00:00",
					"process_type": MANDATE_CREATION,
					"compliance_status": "Compliant",
				},
			),
			"PUT": session.put_doc(AUDIT_LOG, row, {"action": "Tampered"}),
			"DELETE": session.http.delete(f"{base}/{row}"),
			"frappe.client.set_value": session.call(
				"frappe.client.set_value",
				{"doctype": AUDIT_LOG, "name": row, "fieldname": "action", "value": "Tampered"},
			),
		}
		for method, response in responses.items():
			with self.subTest(method):
				self.assertGreaterEqual(response.status_code, 400, response.text[:300])
		self.assertEqual(session.get_doc(AUDIT_LOG, row).status_code, 200)  # reading is allowed
		self.assertFalse(frappe.db.exists(AUDIT_LOG, "X-3"))
		self.assertEqual(snapshot(row), before)
		self.assertEqual(refused_deletions(row), 1)  # committed although the request rolled back
