"""A bulk batch leaves Users exactly as Frappe makes them, without Frappe's bulk-hostile side effects."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import caching
from frappe.utils.background_jobs import get_job, get_queue

from verenigingen.account_creation import REQUEST, welcome_emails
from verenigingen.account_creation.batches import BATCH_JOB
from verenigingen.account_creation.user_factory import new_member_user, quiet_user_side_effects
from verenigingen.core.batching import batch_job_id
from verenigingen.permissions import MEMBER_ROLE, MEMBER_ROLE_PROFILE
from verenigingen.tests.factories import make_members, make_staff_user, no_user_throttle
from verenigingen.utils import account_creation_manager as acm

USER_FIELDS = ("enabled", "user_type", "role_profile_name", "send_welcome_email", "language", "time_zone",
	"new_password", "user_image", "bypass_restrict_ip_check_if_2fa_enabled", "simultaneous_sessions")


class TestBulkSideEffects(FrappeTestCase):
	def setUp(self):
		self.manager = make_staff_user()
		frappe.db.commit()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.conf.pop("throttle_user_limit", None)

	def run_batch_in_process(self, count: int):
		names = make_members(count)
		frappe.set_user(self.manager.name)
		summary = acm.queue_bulk_account_creation_for_members(frappe.as_json(names))
		frappe.db.commit()
		frappe.set_user("Administrator")
		get_job(batch_job_id(summary["tracker"], 1)).delete()
		requests = frappe.get_all(REQUEST, filters={"tracker": summary["tracker"]}, pluck="name", order_by="name")
		frappe.set_user(self.manager.name)
		acm.process_bulk_account_creation_batch(summary["tracker"], 1, requests)
		return names, summary["tracker"]

	def test_no_site_cache_flush_no_throttle_no_default_jobs(self):
		frappe.local.conf["throttle_user_limit"] = 1  # Frappe would refuse the second User
		default_jobs_before = get_queue("default").count
		stored_default = frappe.db.get_default("email_user_password")
		real_clear_cache = frappe.clear_cache
		site_wide_clears = []

		def counting_clear_cache(*args, **kwargs):
			if not args and not kwargs.get("user") and not kwargs.get("doctype"):
				site_wide_clears.append(1)
			return real_clear_cache(*args, **kwargs)

		with patch.object(frappe, "clear_cache", counting_clear_cache):
			names, tracker = self.run_batch_in_process(5)
		self.assertEqual(frappe.db.get_value("Bulk Operation Tracker", tracker, "successful"), 5)
		self.assertEqual(site_wide_clears, [])
		self.assertEqual(get_queue("default").count, default_jobs_before)
		self.assertEqual(frappe.db.get_default("email_user_password"), stored_default)
		self.assertEqual(frappe.local.conf.get("throttle_user_limit"), 1, "the throttle is restored after the job")

	def test_bulk_user_equals_a_normally_created_user(self):
		names, _ = self.run_batch_in_process(1)
		frappe.set_user("Administrator")
		member = frappe.get_doc("Member", names[0])
		bulk_user = frappe.get_doc("User", member.user)
		email = f"normal.{frappe.generate_hash(length=8)}@example.nl"
		with no_user_throttle():
			normal_user = new_member_user(email, member.first_name, member.tussenvoegsel, member.last_name,
				[MEMBER_ROLE], MEMBER_ROLE_PROFILE)
		frappe.db.commit()
		for field in USER_FIELDS:
			self.assertEqual(bulk_user.get(field), normal_user.get(field), field)
		self.assertEqual([r.role for r in bulk_user.roles], [r.role for r in normal_user.roles])
		self.assertEqual(bulk_user.full_name, normal_user.full_name)
		contact = frappe.get_doc("Contact", {"user": bulk_user.name})
		self.assertEqual((contact.first_name, contact.email_id), (member.first_name, member.email))
		self.assertTrue(frappe.db.exists("Notification Settings", bulk_user.name))
		# Shared with itself, with the "Shared" comment, exactly as Frappe does it.
		self.assertEqual(self.self_shares(bulk_user.name), self.self_shares(normal_user.name))
		self.assertEqual(self.self_shares(bulk_user.name), [{"read": 1, "write": 1, "share": 1, "submit": 0, "everyone": 0}])
		self.assertEqual(self.shared_comments(bulk_user.name), 1)
		self.assertEqual(self.shared_comments(normal_user.name), 1)

	def self_shares(self, user: str) -> list[dict]:
		return frappe.get_all("DocShare", filters={"share_doctype": "User", "share_name": user, "user": user},
			fields=["read", "write", "share", "submit", "everyone"])

	def shared_comments(self, user: str) -> int:
		return frappe.db.count("Comment", {"reference_doctype": "User", "reference_name": user, "comment_type": "Shared"})

	def test_user_cache_is_cleared_and_the_process_caches_are_kept(self):
		user = "cache.probe@example.nl"
		frappe.cache.hset("roles", user, ["Stale"])
		caching._SITE_CACHE["verenigingen-probe"]["key"] = "kept"
		real_clear_cache, real_get_doc = frappe.clear_cache, frappe.get_doc
		with quiet_user_side_effects():
			frappe.clear_cache(user=user)
			self.assertIsNone(frappe.cache.hget("roles", user), "the user's own cache is cleared as always")
			self.assertEqual(caching._SITE_CACHE["verenigingen-probe"]["key"], "kept")
		self.assertIs(frappe.clear_cache, real_clear_cache)
		self.assertIs(frappe.get_doc, real_get_doc)
		frappe.clear_cache(user=user)  # Frappe's own again: the whole process cache goes
		self.assertNotIn("verenigingen-probe", caching._SITE_CACHE)


class TestWaitingBatches(FrappeTestCase):
	"""A batch job goes on with batches whose jobs have not started; their own jobs then skip."""

	def setUp(self):
		self.manager = make_staff_user()
		frappe.db.commit()

	def tearDown(self):
		frappe.set_user("Administrator")
		settings = frappe.get_single("Verenigingen Settings")
		settings.bulk_worker_timeout = 3600
		settings.save()
		frappe.db.commit()

	def queue_run(self, count: int, left_queued: tuple[int, ...] = ()) -> tuple[list[str], str, int]:
		names = make_members(count)
		frappe.set_user(self.manager.name)
		summary = acm.queue_bulk_account_creation_for_members(frappe.as_json(names))
		frappe.db.commit()
		frappe.set_user("Administrator")
		for number in range(1, summary["batches"] + 1):
			job = get_job(batch_job_id(summary["tracker"], number))
			if number in left_queued:  # no worker serves this class: they wait until the test removes them
				self.addCleanup(lambda job_id=job.id: get_job(job_id) and get_job(job_id).delete())
			else:
				job.delete()  # run in this process instead
		return names, summary["tracker"], summary["batches"]

	def run_job(self, tracker: str, number: int) -> dict:
		requests = frappe.get_all(REQUEST, filters={"tracker": tracker, "batch_number": number}, pluck="name",
			order_by="name")
		frappe.set_user(self.manager.name)
		try:
			return acm.process_bulk_account_creation_batch(tracker, number, requests)
		finally:
			frappe.set_user("Administrator")

	def test_the_first_job_takes_on_the_waiting_batches(self):
		names, tracker, batches = self.queue_run(120)
		self.assertEqual(batches, 3)
		results = self.run_job(tracker, 1)
		self.assertEqual(len(results), 120)
		self.assertEqual(set(results.values()), {"Completed"})
		for number in (2, 3):  # their own jobs come later and find nothing to claim
			self.assertEqual(set(self.run_job(tracker, number).values()), {"Skipped"})
		row = frappe.db.get_value("Bulk Operation Tracker", tracker,
			["status", "successful", "processed", "batches_done"], as_dict=True)
		self.assertEqual((row.status, row.successful, row.processed, row.batches_done), ("Completed", 120, 120, 3))
		emails = frappe.get_all("Member", filters={"name": ("in", names)}, pluck="email")
		self.assertEqual(frappe.db.count("User", {"name": ("in", emails)}), 120)

	def test_the_waiting_jobs_of_batches_taken_on_leave_the_queue(self):
		"""Any generation's; another run's batch keeps its job until a job of that run takes the batch on."""
		_, tracker, _ = self.queue_run(120, left_queued=(2, 3))
		_, other_tracker, _ = self.queue_run(60, left_queued=(2,))
		frappe.enqueue(BATCH_JOB, queue="bulk", job_id=batch_job_id(tracker, 3, 7), tracker_name=tracker,
			batch_number=3, request_names=[])  # as a recovery's new generation would
		self.addCleanup(lambda: get_job(batch_job_id(tracker, 3, 7)) and get_job(batch_job_id(tracker, 3, 7)).delete())
		waiting = {batch_job_id(tracker, 2), batch_job_id(tracker, 3), batch_job_id(tracker, 3, 7),
			batch_job_id(other_tracker, 2)}
		self.assertEqual(waiting & self.site_queued_jobs(), waiting)
		results = self.run_job(tracker, 1)
		self.assertEqual(set(results.values()), {"Completed"})
		self.assertEqual(len(results), 120)
		self.assertEqual(waiting & self.site_queued_jobs(), {batch_job_id(other_tracker, 2)})
		self.assertIsNone(get_job(batch_job_id(tracker, 2)), "the removed job's hash goes too")
		self.assertEqual(len(self.run_job(other_tracker, 1)), 60)
		self.assertNotIn(batch_job_id(other_tracker, 2), self.site_queued_jobs())

	def site_queued_jobs(self) -> set[str]:
		prefix = f"{frappe.local.site}::"
		return {job_id.removeprefix(prefix) for job_id in get_queue("bulk").get_job_ids() if job_id.startswith(prefix)}

	def test_late_in_its_timeout_a_job_takes_on_nothing_more(self):
		settings = frappe.get_single("Verenigingen Settings")
		settings.bulk_worker_timeout = 1  # half a second to take on more: batch 1 alone takes longer
		settings.save()
		frappe.db.commit()
		_, tracker, _ = self.queue_run(60)
		results = self.run_job(tracker, 1)
		self.assertEqual(len(results), 50)
		self.assertEqual(frappe.db.count(REQUEST, {"tracker": tracker, "status": "Queued"}), 10)
		self.assertEqual(set(self.run_job(tracker, 2).values()), {"Completed"})


class TestWelcomeEmailWaves(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def make_outgoing_account(self):
		if frappe.db.exists("Email Account", "Verenigingen Test Outgoing"):
			frappe.db.set_value("Email Account", "Verenigingen Test Outgoing", "default_outgoing", 1)
			return
		frappe.get_doc({"doctype": "Email Account", "email_account_name": "Verenigingen Test Outgoing",
			"email_id": "leden@example.nl", "enable_outgoing": 1, "default_outgoing": 1,
			"smtp_server": "127.0.0.1", "no_smtp_authentication": 1}).insert()

	def test_nothing_is_sent_without_an_outgoing_account(self):
		frappe.db.set_value("Email Account", {"default_outgoing": 1}, "default_outgoing", 0)
		self.assertEqual(welcome_emails.send_welcome_email_wave(), 0)

	def test_waves_respect_size_and_the_email_queue(self):
		frappe.db.set_value("Email Account", {"default_outgoing": 1}, "default_outgoing", 0)
		self.make_outgoing_account()
		frappe.db.delete("Email Queue", {"status": ("in", ("Not Sent", "Sending"))})
		# Sending mail commits, so earlier runs may have left pending welcome mails: settle them.
		frappe.db.set_value(REQUEST, {"send_welcome_email": 1, "welcome_email_sent": 0}, "welcome_email_sent", 1)
		settings = frappe.get_single("Verenigingen Settings")
		settings.welcome_email_wave_size = 2
		settings.save()
		users = make_members(3)
		for name in users:
			email = frappe.db.get_value("Member", name, "email")
			with no_user_throttle():
				new_member_user(email, "Welkom", "", "Test", [MEMBER_ROLE], None)
			frappe.get_doc({"doctype": REQUEST, "member": name, "status": "Completed", "created_user": email,
				"send_welcome_email": 1}).insert()
		self.assertEqual(welcome_emails.send_welcome_email_wave(), 2)
		# Tests send mail at once; make the wave's two mails wait in the queue as on a live site.
		queued = frappe.get_all("Email Queue", order_by="creation desc", limit=2, pluck="name")
		frappe.db.set_value("Email Queue", {"name": ("in", queued)}, "status", "Not Sent")
		self.assertEqual(welcome_emails.send_welcome_email_wave(), 0, "two mails still wait in the email queue")
		frappe.db.delete("Email Queue", {"status": ("in", ("Not Sent", "Sending"))})
		self.assertEqual(welcome_emails.send_welcome_email_wave(), 1)
		self.assertEqual(frappe.db.count(REQUEST, {"member": ("in", users), "welcome_email_sent": 1}), 3)
