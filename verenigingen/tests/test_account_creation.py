"""Account creation, run in-process: the pipeline, permissions, escalation, retries."""

from datetime import timedelta
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime
from frappe.utils.background_jobs import get_job

from verenigingen.account_creation import REQUEST, errors, pipeline
from verenigingen.account_creation.pipeline import AccountCreationManager
from verenigingen.permissions import MEMBER_ROLE, MEMBER_ROLE_PROFILE
from verenigingen.tests.factories import make_member, make_staff_user, make_user, user_count_for
from verenigingen.utils import account_creation_manager as acm
from verenigingen.utils import bulk_retry_processor as brp


class AccountCreationTestCase(FrappeTestCase):
	def setUp(self):
		self.manager = make_staff_user()
		frappe.db.commit()

	def tearDown(self):
		frappe.set_user("Administrator")

	def queue_as_manager(self, member_name, **kwargs) -> str:
		frappe.set_user(self.manager.name)
		result = acm.queue_account_creation_for_member(member_name, **kwargs)
		frappe.db.commit()  # the job is enqueued after commit
		frappe.set_user("Administrator")
		return result["request"]


class TestIndividualPath(AccountCreationTestCase):
	def test_individual_request_end_to_end(self):
		member = make_member(first_name="Jan", tussenvoegsel="van der", last_name="Berg")
		request_name = self.queue_as_manager(member.name)
		job = get_job(f"verenigingen-account-{request_name}-a1")
		self.assertIsNotNone(job, "the request job must be on the short queue")
		self.assertIn("short", job.origin)
		self.assertEqual(job.kwargs["kwargs"], {"request_name": request_name})
		job.delete()  # run the job body here instead of in a worker

		self.assertEqual(acm.process_account_creation_request(request_name), "Completed")
		request = frappe.get_doc(REQUEST, request_name)
		user = frappe.get_doc("User", member.email)
		self.assertEqual((request.status, request.created_user, request.attempt_count), ("Completed", user.name, 1))
		self.assertEqual((user.first_name, user.middle_name, user.last_name), ("Jan", "van der", "Berg"))
		self.assertEqual(user.user_type, "Website User")
		self.assertEqual(user.role_profile_name, MEMBER_ROLE_PROFILE)
		self.assertEqual([r.role for r in user.roles], [MEMBER_ROLE])
		self.assertEqual(user.enabled, 1)
		self.assertEqual(frappe.db.get_value("Member", member.name, "user"), user.name)
		self.assertTrue(frappe.db.exists("Contact", {"user": user.name}))
		self.assertEqual(request.requested_by, self.manager.name)
		self.assertEqual(request.processed_by, self.manager.name)

	def test_second_request_for_member_is_refused(self):
		member = make_member()
		self.queue_as_manager(member.name)
		frappe.set_user(self.manager.name)
		with self.assertRaises(frappe.DuplicateEntryError):
			acm.queue_account_creation_for_member(member.name)

	def test_processing_twice_creates_one_user(self):
		member = make_member()
		opened = frappe.db.get_value("Member", member.name, "modified")  # as a staff member's open form
		request_name = self.queue_as_manager(member.name)
		self.assertEqual(AccountCreationManager(request_name).process(), "Completed")
		# the link leaves `modified` alone: that form still saves
		self.assertEqual(frappe.db.get_value("Member", member.name, ["user", "modified"]),
			(frappe.db.get_value("User", {"email": member.email}), opened))
		self.assertEqual(AccountCreationManager(request_name).process(), "Skipped")
		self.assertEqual(user_count_for(member.email), 1)

	def test_rerun_after_reset_reuses_the_user(self):
		"""A crash after the commit (request reset to Queued by recovery) does not duplicate."""
		member = make_member()
		request_name = self.queue_as_manager(member.name)
		AccountCreationManager(request_name).process()
		frappe.db.set_value(REQUEST, request_name, "status", "Queued")
		frappe.db.commit()
		frappe.set_user(self.manager.name)
		self.assertEqual(AccountCreationManager(request_name).process(), "Completed")
		self.assertEqual(user_count_for(member.email), 1)
		roles = frappe.get_all("Has Role", filters={"parent": member.email, "parenttype": "User"}, pluck="role")
		self.assertEqual(roles, [MEMBER_ROLE])


class TestExistingUsers(AccountCreationTestCase):
	def test_existing_system_user_is_refused_and_unchanged(self):
		staff = make_user(roles=("System Manager",), user_type="System User")
		frappe.db.commit()
		member = make_member(email=staff.name)
		request_name = self.queue_as_manager(member.name)
		acm.process_account_creation_request(request_name)
		request = frappe.get_doc(REQUEST, request_name)
		self.assertEqual((request.status, request.failure_class), ("Failed", "permanent"))
		self.assertIn("System User", request.failure_reason)
		self.assertIsNone(request.next_retry_at)
		self.assertEqual(frappe.get_roles(staff.name).count("System Manager"), 1)
		self.assertNotIn(MEMBER_ROLE, frappe.get_roles(staff.name))
		self.assertFalse(frappe.db.get_value("Member", member.name, "user"))

	def test_safe_website_user_is_linked(self):
		website_user = make_user(roles=())
		frappe.db.commit()
		member = make_member(email=website_user.name)
		request_name = self.queue_as_manager(member.name)
		self.assertEqual(acm.process_account_creation_request(request_name), "Completed")
		self.assertEqual(frappe.db.get_value("Member", member.name, "user"), website_user.name)
		self.assertIn(MEMBER_ROLE, frappe.get_roles(website_user.name))
		self.assertEqual(user_count_for(website_user.name), 1)


class TestEscalation(AccountCreationTestCase):
	def test_manager_cannot_request_system_manager(self):
		member = make_member()
		frappe.set_user(self.manager.name)
		with self.assertRaises(frappe.ValidationError):
			acm.queue_account_creation_for_member(member.name, roles='["System Manager"]')
		with self.assertRaises(frappe.ValidationError):
			acm.queue_bulk_account_creation_for_members(f'["{member.name}"]', roles='["Verenigingen Manager"]')

	def test_escalation_in_a_stored_request_fails_permanently(self):
		member = make_member()
		request = frappe.get_doc({"doctype": REQUEST, "member": member.name, "status": "Queued",
			"requested_roles": [{"role": "System Manager"}], "requested_by": self.manager.name}).insert()
		frappe.db.commit()
		frappe.set_user(self.manager.name)
		self.assertEqual(AccountCreationManager(request.name).process(), "Failed")
		self.assertEqual(frappe.db.get_value(REQUEST, request.name, "failure_class"), "permanent")
		self.assertFalse(frappe.db.exists("User", member.email))

	def test_manager_cannot_make_a_system_manager_directly(self):
		frappe.set_user(self.manager.name)
		user = frappe.new_doc("User")
		user.update({"email": f"esc.{frappe.generate_hash(length=6)}@example.nl", "first_name": "Esc"})
		user.append("roles", {"role": "System Manager"})
		with self.assertRaises(frappe.ValidationError):
			user.insert()

	def test_manager_cannot_edit_a_system_user(self):
		staff = make_user(roles=("System Manager",), user_type="System User")
		frappe.set_user(self.manager.name)
		self.assertFalse(frappe.has_permission("User", "write", staff.name))


class TestWhitelistPermissions(AccountCreationTestCase):
	CALLS = (
		(acm.queue_account_creation_for_member, ("MEMBER",)),
		(acm.queue_bulk_account_creation_for_members, ('["MEMBER"]',)),
		(acm.get_failed_requests, ()),
		(acm.retry_failed_request, ("ACR-0000001",)),
		(acm.cancel_request, ("ACR-0000001",)),
		(acm.cancel_bulk_operation, ("BOT-00001",)),
		(brp.manual_retry_failed_requests, ("BOT-00001",)),
		(brp.get_retry_queue_status, ()),
		(brp.clear_retry_queue, ("BOT-00001",)),
	)

	def assert_all_refused(self, user_name):
		member = make_member()
		frappe.set_user(user_name)
		for method, args in self.CALLS:
			args = tuple(a.replace("MEMBER", member.name) for a in args)
			with self.subTest(method=method.__name__), self.assertRaises(frappe.PermissionError):
				method(*args)

	def test_member_user_is_refused_everywhere(self):
		self.assert_all_refused(make_user().name)

	def test_system_user_without_app_roles_is_refused_everywhere(self):
		self.assert_all_refused(make_user(roles=("Blogger",), user_type="System User").name)

	def test_job_entry_points_are_not_whitelisted(self):
		for method in (acm.process_account_creation_request, acm.process_bulk_account_creation_batch, brp.process_retry_queues):
			self.assertNotIn(method, frappe.whitelisted)


class TestRetry(AccountCreationTestCase):
	def test_transient_failure_is_retried_and_succeeds(self):
		member = make_member()
		request_name = self.queue_as_manager(member.name)
		real = pipeline.AccountCreationManager.new_user
		calls = []

		def fail_once(manager, *args, **kwargs):
			calls.append(1)
			if len(calls) == 1:
				raise errors.TransientFailure("lock wait timeout (injected)")
			return real(manager, *args, **kwargs)

		with patch.object(pipeline.AccountCreationManager, "new_user", fail_once):
			acm.process_account_creation_request(request_name)
			request = frappe.get_doc(REQUEST, request_name)
			self.assertEqual((request.status, request.failure_class), ("Failed", "transient"))
			wait = (request.next_retry_at - now_datetime()).total_seconds()
			self.assertTrue(4 * 60 <= wait <= 6 * 60, wait)

			brp.process_retry_queues()  # not due yet: nothing happens
			self.assertEqual(frappe.db.get_value(REQUEST, request_name, "status"), "Failed")

			frappe.db.set_value(REQUEST, request_name, "next_retry_at", now_datetime() - timedelta(seconds=1))
			frappe.db.commit()
			self.assertEqual(brp.process_retry_queues()["retried"], 1)
			frappe.db.commit()
			self.assertEqual(frappe.db.get_value(REQUEST, request_name, "status"), "Queued")
			job = get_job(f"verenigingen-account-{request_name}-a2")
			self.assertIsNotNone(job)
			job.delete()
			self.assertEqual(acm.process_account_creation_request(request_name), "Completed")
		self.assertEqual(frappe.db.get_value(REQUEST, request_name, "attempt_count"), 2)
		self.assertEqual(user_count_for(member.email), 1)

	def test_deadlock_is_rerun_at_once(self):
		"""A deadlock between workers is resolved by a fresh transaction, not a 5-minute wait."""
		member = make_member()
		request_name = self.queue_as_manager(member.name)
		real = pipeline.AccountCreationManager.new_user
		calls = []

		def deadlock_once(manager, *args, **kwargs):
			calls.append(1)
			if len(calls) == 1:
				raise frappe.QueryDeadlockError(1213, "Deadlock found when trying to get lock")
			return real(manager, *args, **kwargs)

		with patch.object(pipeline.AccountCreationManager, "new_user", deadlock_once):
			self.assertEqual(acm.process_account_creation_request(request_name), "Completed")
		self.assertEqual(len(calls), 2)
		self.assertEqual(frappe.db.get_value(REQUEST, request_name, "attempt_count"), 1)
		self.assertEqual(user_count_for(member.email), 1)

	def test_permanent_failure_is_not_retried(self):
		member = make_member(status="Terminated")
		request_name = self.queue_as_manager(member.name)
		acm.process_account_creation_request(request_name)
		request = frappe.get_doc(REQUEST, request_name)
		self.assertEqual((request.status, request.failure_class, request.next_retry_at), ("Failed", "permanent", None))
		brp.process_retry_queues()
		self.assertEqual(frappe.db.get_value(REQUEST, request_name, "status"), "Failed")

	def test_retries_stop_after_the_schedule(self):
		"""Six waits in the default schedule: six retries, then a human."""
		self.assertIsNotNone(pipeline.schedule_retry(6))
		self.assertIsNone(pipeline.schedule_retry(7))
