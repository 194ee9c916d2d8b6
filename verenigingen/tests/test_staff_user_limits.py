"""Staff may not become a member (issue 11, point 8), and a System Manager is an administrator of the app.

Over HTTP against `frappe serve`, as a browser or script would: no test flags in the server
(``frappe.only_for`` really checks there), each user logged in with their own password.
"""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils.password import get_decrypted_password

from verenigingen.account_creation import REQUEST
from verenigingen.account_creation.user_factory import NO_THROTTLE
from verenigingen.member_import import DOCTYPE as IMPORT_DOCTYPE
from verenigingen.permissions import ADMINISTRATOR_ROLE, MANAGER_ROLE, MEMBER_ROLE
from verenigingen.tests.factories import make_member, no_user_throttle
from verenigingen.tests.http_session import ApiSession, WebServer, is_refusal, make_user_with_password
from verenigingen.tests.import_factories import delete_imported_data, make_import, sample_bytes
from verenigingen.tests.smtp_sink import SmtpSink, make_outgoing_account_for
from verenigingen.utils import account_creation_manager as acm

PASSWORD = "Staff-Limits-2026!"
TAKEOVER_PASSWORD = "Taken-Over-2026!"
ACM = "verenigingen.utils.account_creation_manager"


class ServedTestCase(FrappeTestCase):
	"""A web server for the class and logged-in sessions for a manager, an app administrator and a System Manager."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.manager = make_user_with_password(PASSWORD, (MANAGER_ROLE,), "System User").name
		cls.admin = make_user_with_password(PASSWORD, (ADMINISTRATOR_ROLE,), "System User").name
		cls.system_manager = make_user_with_password(PASSWORD, ("System Manager",), "System User").name
		frappe.db.commit()
		cls.server = WebServer(frappe.local.site).start()
		cls.as_manager = ApiSession(cls.server.url, cls.manager, PASSWORD)
		cls.as_admin = ApiSession(cls.server.url, cls.admin, PASSWORD)
		cls.as_system_manager = ApiSession(cls.server.url, cls.system_manager, PASSWORD)

	@classmethod
	def tearDownClass(cls):
		cls.server.stop()
		super().tearDownClass()

	def tearDown(self):
		frappe.set_user("Administrator")

	def staff_sessions(self):
		return {"manager": self.as_manager, "admin": self.as_admin}

	def lift_creation_throttle_of_the_server(self) -> None:
		from frappe.installer import update_site_config

		old = frappe.local.conf.get("throttle_user_limit")
		update_site_config("throttle_user_limit", NO_THROTTLE)
		self.addCleanup(update_site_config, "throttle_user_limit", old if old is not None else "None")

	def make_member_login(self) -> ApiSession:
		"""A member's website user with PASSWORD (committed), logged in."""
		user = make_user_with_password(PASSWORD, roles=(MEMBER_ROLE,))
		frappe.db.commit()
		return ApiSession(self.server.url, user.name, PASSWORD)


class TestStaffCannotSetAMembersLogin(ServedTestCase):
	def assert_password_unchanged(self, member: ApiSession) -> None:
		self.assertTrue(member.can_log_in(PASSWORD), "the member must still log in with their own password")
		self.assertFalse(member.can_log_in(TAKEOVER_PASSWORD), "the staff-chosen password must not work")

	def test_put_new_password_is_refused(self):
		member = self.make_member_login()
		for role, staff in self.staff_sessions().items():
			with self.subTest(role=role):
				response = staff.put_doc("User", member.user, {"new_password": TAKEOVER_PASSWORD})
				self.assertEqual(response.status_code, 403, response.text[:300])
		self.assert_password_unchanged(member)

	def test_set_value_new_password_is_refused(self):
		member = self.make_member_login()
		args = {
			"doctype": "User",
			"name": member.user,
			"fieldname": "new_password",
			"value": TAKEOVER_PASSWORD,
		}
		for role, staff in self.staff_sessions().items():
			with self.subTest(role=role):
				response = staff.call("frappe.client.set_value", args)
				self.assertEqual(response.status_code, 403, response.text[:300])
		self.assert_password_unchanged(member)

	def test_a_new_user_with_a_password_is_refused(self):
		email = f"new.{frappe.generate_hash(length=8).lower()}@example.nl"
		user = {
			"email": email,
			"first_name": "Nieuw",
			"new_password": TAKEOVER_PASSWORD,
			"send_welcome_email": 0,
		}
		# Frappe's sign-up throttle runs before the guard; earlier tests may have filled its minute.
		self.lift_creation_throttle_of_the_server()
		response = self.as_manager.http.post(f"{self.server.url}/api/resource/User", json=user, timeout=60)
		self.assertEqual(response.status_code, 403, response.text[:300])
		self.assertFalse(frappe.db.exists("User", email))

	def test_api_keys_cannot_be_generated_set_or_read(self):
		member = self.make_member_login()
		for role, staff in self.staff_sessions().items():
			with self.subTest(role=role):
				response = staff.call("frappe.core.doctype.user.user.generate_keys", {"user": member.user})
				self.assertEqual(response.status_code, 403, response.text[:300])
				staff.put_doc("User", member.user, {"api_key": "staffkey", "api_secret": "staffsecret"})
		frappe.db.rollback()
		self.assertFalse(frappe.db.get_value("User", member.user, "api_key"))
		self.assertIsNone(get_decrypted_password("User", member.user, "api_secret", raise_exception=False))

		response = self.as_system_manager.call(
			"frappe.core.doctype.user.user.generate_keys", {"user": member.user}
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		frappe.db.rollback()
		api_key = frappe.db.get_value("User", member.user, "api_key")
		self.assertTrue(api_key)
		for role, staff in self.staff_sessions().items():
			with self.subTest(role=role, reading=True):
				doc = staff.get_doc("User", member.user).json()["data"]
				self.assertFalse(doc.get("api_key"))
				value = staff.call(
					"frappe.client.get_value",
					{"doctype": "User", "filters": member.user, "fieldname": "api_key"},
				)
				self.assertNotIn(api_key, value.text)
				secret = staff.call(
					"frappe.client.get_password",
					{"doctype": "User", "name": member.user, "fieldname": "api_secret"},
				)
				self.assertEqual(secret.status_code, 403, secret.text[:300])

	def test_login_name_email_social_login_and_reset_key_are_refused(self):
		member = self.make_member_login()
		changes = (
			{"username": f"staff{frappe.generate_hash(length=6).lower()}"},
			{"reset_password_key": frappe.generate_hash()},
			{"social_logins": [{"provider": "github", "userid": "staff-github-id"}]},
		)
		for change in changes:
			with self.subTest(change=next(iter(change))):
				response = self.as_manager.put_doc("User", member.user, change)
				self.assertEqual(response.status_code, 403, response.text[:300])
		row = frappe.db.get_value("User Social Login", {"parent": member.user, "provider": "frappe"}, "name")
		response = self.as_manager.call(
			"frappe.client.set_value",
			{"doctype": "User Social Login", "name": row, "fieldname": {"provider": "github", "userid": "x"}},
		)
		self.assertEqual(response.status_code, 403, response.text[:300])
		renamed = f"staff.{frappe.generate_hash(length=6).lower()}@example.nl"
		response = self.as_manager.call(
			"frappe.client.rename_doc", {"doctype": "User", "old_name": member.user, "new_name": renamed}
		)
		self.assertEqual(response.status_code, 403, response.text[:300])
		# The email field follows the name: Frappe puts it back on every save.
		self.as_manager.put_doc("User", member.user, {"email": renamed})
		frappe.db.rollback()
		self.assertTrue(frappe.db.exists("User", member.user))
		self.assertEqual(frappe.db.get_value("User", member.user, "email"), member.user)
		self.assertFalse(frappe.get_all("User Social Login", {"parent": member.user, "provider": "github"}))

	def test_impersonation_is_refused(self):
		member = self.make_member_login()
		for role, session in {**self.staff_sessions(), "system_manager": self.as_system_manager}.items():
			with self.subTest(role=role):
				response = session.call(
					"frappe.core.doctype.user.user.impersonate", {"user": member.user, "reason": "test"}
				)
				self.assertTrue(is_refusal(response), response.text[:300])
				self.assertEqual(session.call("frappe.auth.get_logged_user").json()["message"], session.user)

	def test_staff_may_edit_a_members_user_and_send_a_reset_email(self):
		member = self.make_member_login()
		old_limit = frappe.db.get_single_value("System Settings", "password_reset_limit")
		frappe.db.set_single_value("System Settings", "password_reset_limit", 1000)
		sink = SmtpSink()
		self.addCleanup(sink.stop)
		account = make_outgoing_account_for(sink)
		frappe.db.commit()
		self.addCleanup(self.restore_reset_limit, old_limit)
		self.addCleanup(frappe.db.set_value, "Email Account", account, "default_outgoing", 0)

		whole = self.as_manager.get_doc("User", member.user).json()["data"]
		whole["last_name"] = "Gewijzigd"
		response = self.as_manager.put_doc("User", member.user, whole)
		self.assertEqual(response.status_code, 200, response.text[:300])
		response = self.as_manager.call("frappe.core.doctype.user.user.reset_password", {"user": member.user})
		self.assertEqual(response.status_code, 200, response.text[:300])
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("User", member.user, "last_name"), "Gewijzigd")
		self.assertTrue(frappe.db.get_value("User", member.user, "reset_password_key"))
		mails = sink.to(member.user)
		self.assertEqual(len(mails), 1, sink.messages)
		self.assertIn("/update-password?key=", mails[0])
		self.assertFalse(sink.to(self.manager), "the reset link goes to the member only")
		self.assertTrue(member.can_log_in(PASSWORD))

	@staticmethod
	def restore_reset_limit(value) -> None:
		frappe.db.set_single_value("System Settings", "password_reset_limit", value)
		frappe.db.commit()


class TestSystemManagerIsAnAdministrator(ServedTestCase):
	def test_system_manager_creates_member_accounts_with_the_default_role(self):
		single, bulk = make_member(), make_member()
		frappe.db.commit()
		response = self.as_system_manager.call(
			f"{ACM}.queue_account_creation_for_member", {"member_name": single.name}
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		request_name = response.json()["message"]["request"]
		self.assertEqual(acm.process_account_creation_request(request_name), "Completed")
		self.assertEqual(frappe.db.get_value(REQUEST, request_name, "requested_by"), self.system_manager)
		self.assertIn(MEMBER_ROLE, frappe.get_roles(single.email))

		response = self.as_system_manager.call(
			f"{ACM}.queue_bulk_account_creation_for_members", {"member_names": [bulk.name], "batch_size": 1}
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		summary = response.json()["message"]
		self.addCleanup(acm.cancel_bulk_operation, summary["tracker"])
		self.assertEqual(summary["queued"], 1)

	def test_system_manager_opens_and_validates_a_mijnrood_import(self):
		frappe.set_user(self.system_manager)
		name = make_import(*sample_bytes("csv-utf8-bom"))
		frappe.set_user("Administrator")
		self.addCleanup(delete_imported_data, (), set(frappe.get_all("Chapter", pluck="name")))
		session = self.as_system_manager
		self.assertEqual(session.get_doc(IMPORT_DOCTYPE, name).status_code, 200)
		listing = session.http.get(f"{self.server.url}/api/resource/{IMPORT_DOCTYPE}", timeout=60)
		self.assertEqual(listing.status_code, 200, listing.text[:300])
		for method in ("get_import_defaults", "validate_import", "get_import_progress"):
			with self.subTest(method=method):
				args = {} if method == "get_import_defaults" else {"import_name": name}
				response = session.call(f"verenigingen.utils.mijnrood_import.{method}", args)
				self.assertEqual(response.status_code, 200, response.text[:300])
		self.addCleanup(self.delete_job, name)

	@staticmethod
	def delete_job(import_name: str) -> None:
		from frappe.utils.background_jobs import get_job

		from verenigingen.member_import.runs import job_id

		job = get_job(job_id(import_name, 1))
		if job:
			job.delete()


class TestUserSecretsLevel(FrappeTestCase):
	def test_api_key_and_secret_are_at_a_level_only_system_managers_hold(self):
		from verenigingen.setup.install import (
			USER_SECRET_FIELDS,
			USER_SECRET_PERMLEVEL,
			ensure_user_secrets_for_system_managers,
		)

		ensure_user_secrets_for_system_managers()  # again: idempotent
		meta = frappe.get_meta("User")
		for fieldname in USER_SECRET_FIELDS:
			self.assertEqual(meta.get_field(fieldname).permlevel, USER_SECRET_PERMLEVEL, fieldname)
		self.assertEqual(
			frappe.db.count("Property Setter", {"doc_type": "User", "property": "permlevel"}),
			len(USER_SECRET_FIELDS),
		)
		holders = frappe.get_all(
			"Custom DocPerm",
			filters={"parent": "User", "permlevel": USER_SECRET_PERMLEVEL},
			fields=["role", "read", "write"],
		)
		self.assertEqual([(h.role, h.read, h.write) for h in holders], [("System Manager", 1, 1)])


class TestFrappeLoginFlowsStillWork(FrappeTestCase):
	"""Frappe's own sign-up and social login set these fields as Guest; the guard must let them."""

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_guest_sign_up_sets_a_password(self):
		from frappe.core.doctype.user.user import sign_up

		frappe.db.set_single_value("Website Settings", "disable_signup", 0)
		email = f"signup.{frappe.generate_hash(length=8).lower()}@example.nl"
		frappe.set_user("Guest")
		with no_user_throttle():
			status, _message = sign_up(email, "Nieuw Lid", "/")
		frappe.set_user("Administrator")
		self.assertIn(status, (1, 2))
		stored = frappe.db.sql(
			"select count(*) from `__Auth` where doctype = 'User' and name = %(name)s and fieldname = 'password'",
			{"name": email},
		)
		self.assertEqual(stored[0][0], 1)
		self.assertTrue(frappe.db.exists("User", email))

	def test_social_login_adds_its_user_id(self):
		from frappe.utils.oauth import update_oauth_user

		member = make_user_with_password(PASSWORD, roles=(MEMBER_ROLE,))
		frappe.set_user("Guest")
		update_oauth_user(member.name, {"email": member.name, "id": "gh-123", "login": "lid"}, "github")
		frappe.set_user("Administrator")
		row = {"parent": member.name, "provider": "github"}
		self.assertEqual(frappe.db.get_value("User Social Login", row, "userid"), "gh-123")
