"""Recovery judged by rq's own liveness: on a site nobody ever logged in to, through the path Frappe's
scheduler takes; a worker on another host recovered once its heartbeat stops; claims as fences."""

import os
import shutil
import time

import frappe
from frappe.utils import now_datetime
from frappe.utils.scheduler import is_dormant, schedule_jobs_based_on_activity

from verenigingen.account_creation import REQUEST
from verenigingen.account_creation.errors import ClaimLost
from verenigingen.account_creation.jobs import HEARTBEAT_GRACE_SECONDS, claim_states
from verenigingen.account_creation.pipeline import AccountCreationManager
from verenigingen.account_creation.requests import create_request
from verenigingen.account_creation.user_factory import quiet_user_side_effects
from verenigingen.core.claims import ALIVE, DEAD, parse_claim
from verenigingen.tests.blocking import hold_member_locks, requests_of_members, wait_until_processing
from verenigingen.tests.factories import make_member, make_members, user_count_for
from verenigingen.tests.test_bulk_accounts import BulkTestCase
from verenigingen.tests.workers import BulkWorkers, OtherHostWorkers, production_environment, wait_for_tracker
from verenigingen.utils.bulk_retry_processor import process_retry_queues

RETRY_JOB = "verenigingen.utils.bulk_retry_processor.process_retry_queues"
OTHER_HOST = "verenigingen-test-host-b"


def claim_state(request_name: str) -> str:
	frappe.db.rollback()  # see the workers' commits
	row = frappe.db.get_value(REQUEST, request_name, ["name", "claimed_by", "modified"], as_dict=True)
	return claim_states([row], now_datetime())[request_name]


def status_of(request_name: str) -> str:
	frappe.db.rollback()
	return frappe.db.get_value(REQUEST, request_name, "status")


class TestNeverLoggedInSite(BulkTestCase):
	"""A run started from the shell on a site without any Activity Log (a new site, nobody logged in)."""

	def setUp(self):
		super().setUp()
		# Frappe never calls a developer-mode site dormant; the test site must behave as production.
		self.developer_mode = frappe.conf.developer_mode
		frappe.conf.developer_mode = 0

	def tearDown(self):
		frappe.conf.developer_mode = self.developer_mode
		super().tearDown()

	def make_site_dormant(self) -> None:
		"""No Activity Log at all, and scheduled jobs ran in the last day: Frappe waits a day."""
		frappe.db.delete("Activity Log")
		job_type = frappe.db.get_value("Scheduled Job Type", {"method": RETRY_JOB})
		frappe.get_doc({"doctype": "Scheduled Job Log", "scheduled_job_type": job_type, "status": "Complete"}).insert()
		frappe.db.commit()

	def test_a_run_keeps_the_site_scheduled_and_the_scheduler_path_recovers_it(self):
		"""Workers and horses killed mid-run; the job Frappe's scheduler enqueues recovers the run."""
		self.make_site_dormant()
		self.assertTrue(is_dormant())
		self.assertFalse(schedule_jobs_based_on_activity(), "a dormant site runs its jobs once a day")
		names = make_members(40)
		frappe.db.commit()  # the members must be visible to the connection that locks them
		held = [names[4], names[24]]
		workers = BulkWorkers(2, env=production_environment()).start()
		default_worker = None
		try:
			with hold_member_locks(held):
				summary = self.queue_bulk(names, batch_size=20)
				self.assertFalse(is_dormant(), "a run in progress is activity")
				self.assertTrue(schedule_jobs_based_on_activity())
				wait_until_processing(requests_of_members(held))
				workers.kill()
			workers = BulkWorkers(2, env=production_environment()).start()
			# What frappe.utils.scheduler.enqueue_events does for each due job type of an active site.
			job_type = frappe.get_doc("Scheduled Job Type", {"method": RETRY_JOB})
			self.assertTrue(job_type.enqueue(force=True))
			frappe.db.commit()
			default_worker = BulkWorkers(1, queue="default", env=production_environment()).start()
			tracker = wait_for_tracker(summary["tracker"], timeout=300)
		finally:
			workers.stop()
			if default_worker:
				default_worker.stop()
		self.assertEqual((tracker.status, tracker.total, tracker.successful, tracker.failed), ("Completed", 40, 40, 0))
		self.assert_every_member_has_one_user(names)
		self.assertTrue(frappe.db.exists("Activity Log", {"reference_name": summary["tracker"]}))


class TestWorkerOnAnotherHost(BulkTestCase):
	"""A worker on another host (its own hostname and pids) dies: judged by its rq heartbeat."""

	def setUp(self):
		super().setUp()
		if os.geteuid() != 0 or not shutil.which("unshare"):
			self.skipTest("needs root and unshare to run a worker as another host")

	def test_requests_of_a_dead_host_wait_for_its_heartbeat_to_stop_then_recover(self):
		names = make_members(20)
		frappe.db.commit()
		host = OtherHostWorkers(OTHER_HOST, 1, env=production_environment()).start()
		workers = None
		try:
			with hold_member_locks([names[3]]):
				summary = self.queue_bulk(names, batch_size=20)
				request = requests_of_members([names[3]])[0]
				wait_until_processing([request])
				claim = parse_claim(frappe.db.get_value(REQUEST, request, "claimed_by"))
				self.assertEqual(claim.host, OTHER_HOST)
				self.assertTrue(claim.worker and claim.job, "claimed inside an rq job")
				self.assertEqual(claim_state(request), ALIVE)
				host.kill()
				# Its last heartbeat is seconds old: from here it looks exactly like a live worker.
				self.assertEqual(claim_state(request), ALIVE)
				process_retry_queues()
				frappe.db.commit()
				self.assertEqual(status_of(request), "Processing", "a request a live-looking worker holds stays")
			deadline = time.monotonic() + HEARTBEAT_GRACE_SECONDS + 30
			while claim_state(request) != DEAD:  # the heartbeat can only age now: the host is gone
				self.assertLess(time.monotonic(), deadline, "the dead host's heartbeat never counted as stopped")
				time.sleep(0.5)
			process_retry_queues()
			frappe.db.commit()
			self.assertEqual(status_of(request), "Queued")
			workers = BulkWorkers(1, env=production_environment()).start()
			tracker = wait_for_tracker(summary["tracker"], timeout=300)
		finally:
			host.stop()
			if workers:
				workers.stop()
		self.assertEqual((tracker.status, tracker.successful, tracker.failed), ("Completed", 20, 0))
		self.assert_every_member_has_one_user(names)


class TestClaimFence(BulkTestCase):
	def test_a_claimant_that_lost_its_request_to_recovery_writes_nothing(self):
		"""Recovery took the request over while its first claimant still worked: one User, one Contact."""
		member = make_member()
		frappe.db.commit()
		frappe.set_user(self.manager.name)
		request = create_request(member.name, ["Verenigingen Member"], None, "Normal").name
		frappe.db.commit()
		first = AccountCreationManager(request)
		self.assertTrue(first.claim())
		# Recovery judged the first claimant dead and gave the request to another job.
		frappe.db.sql("update `tabAccount Creation Request` set status = 'Queued', claimed_by = null where name = %s",
			request)
		second = AccountCreationManager(request)
		self.assertTrue(second.claim())
		with quiet_user_side_effects():  # as in a job
			with self.assertRaises(ClaimLost):
				first.run_stages()
			frappe.db.rollback()
			self.assertEqual(user_count_for(member.email), 0, "the first claimant's account was rolled back")
			self.assertEqual(second.process_claimed(), "Completed")
		frappe.set_user("Administrator")
		self.assertEqual(status_of(request), "Completed")
		self.assert_every_member_has_one_user([member.name])
