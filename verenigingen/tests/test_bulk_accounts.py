"""Bulk account creation on real `bench worker --queue bulk` processes."""

import math

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils.background_jobs import get_job, get_queue

from verenigingen.account_creation import REQUEST, batches, retry, tracker
from verenigingen.account_creation.user_factory import quiet_user_side_effects
from verenigingen.account_creation.jobs import trackers_with_waiting_jobs
from verenigingen.core.batching import batch_job_id
from verenigingen.tests.blocking import (
	connect_as_site,
	hold_member_locks,
	requests_of_members,
	wait_for_statement,
	wait_until_processing,
)
from verenigingen.tests.factories import make_member, make_members, make_staff_user, user_count_for
from verenigingen.tests.workers import BulkWorkers, WithBulkWorkers, wait_for_tracker
from verenigingen.utils import account_creation_manager as acm
from verenigingen.utils.bulk_retry_processor import process_retry_queues


def age_requests(tracker_name: str) -> None:
	"""As if the recovery's grace period had passed without anything happening to the run."""
	past = frappe.utils.add_to_date(None, seconds=-(retry.LOST_JOB_GRACE_SECONDS + 5))
	frappe.db.sql("update `tabAccount Creation Request` set modified = %(past)s where tracker = %(tracker)s",
		{"past": past, "tracker": tracker_name})
	frappe.db.commit()


class BulkTestCase(FrappeTestCase):
	def setUp(self):
		self.manager = make_staff_user()
		frappe.db.commit()

	def tearDown(self):
		frappe.set_user("Administrator")

	def queue_bulk(self, member_names, **kwargs) -> dict:
		frappe.set_user(self.manager.name)
		summary = acm.queue_bulk_account_creation_for_members(frappe.as_json(member_names), **kwargs)
		frappe.db.commit()  # batches are enqueued after commit
		frappe.set_user("Administrator")
		return summary

	def assert_every_member_has_one_user(self, member_names):
		rows = frappe.get_all("Member", filters={"name": ("in", member_names)}, fields=["email", "user"])
		for row in rows:
			self.assertEqual(row.user, row.email)
			self.assertEqual(user_count_for(row.email), 1)
			self.assertEqual(frappe.db.count("Contact", {"user": row.user}), 1)


class TestBulkQueueing(BulkTestCase):
	def test_summary_reports_refusals_and_enqueues_named_jobs(self):
		names = make_members(3)
		names_without_email = make_members(1, email="")
		summary = self.queue_bulk(names + names_without_email + ["NO-SUCH-MEMBER"])
		self.assertEqual((summary["queued"], summary["refused"], summary["batches"]), (3, 2, 1))
		self.assertIn("NO-SUCH-MEMBER", summary["errors"])
		job = get_job(batch_job_id(summary["tracker"], 1))
		self.assertIsNotNone(job)
		kwargs = job.kwargs["kwargs"]
		self.assertEqual(set(kwargs), {"tracker_name", "batch_number", "request_names"})
		text = frappe.as_json(kwargs)
		self.assertNotIn("@", text)
		self.assertNotIn("Test", text)  # no member names
		again = self.queue_bulk(names)
		self.assertEqual((again["queued"], again["refused"]), (0, 3))
		job.delete()
		acm.cancel_bulk_operation(summary["tracker"])


	def test_live_refreshes_of_several_workers_recount_once(self):
		summary = self.queue_bulk(make_members(2))
		get_job(batch_job_id(summary["tracker"], 1)).delete()
		tracker_name = summary["tracker"]
		frappe.db.set_value(REQUEST, {"tracker": tracker_name}, "status", "Completed")
		frappe.db.set_value("Bulk Operation Tracker", tracker_name, "modified", frappe.utils.now_datetime())
		self.assertEqual(tracker.refresh_tracker(tracker_name, unless_refreshed_within=60), {})
		self.assertEqual(frappe.db.get_value("Bulk Operation Tracker", tracker_name, "processed"), 0)
		self.assertEqual(tracker.refresh_tracker(tracker_name)["processed"], 2)  # the final refresh always counts
		self.assertEqual(frappe.db.get_value("Bulk Operation Tracker", tracker_name, "status"), "Completed")


	def test_live_counts_are_refreshed_across_the_batches_a_job_takes_on(self):
		"""A job working off batch after batch recounts about once a second, however short each batch is."""
		summary = self.queue_bulk(make_members(2), batch_size=1)
		for number in (1, 2):
			get_job(batch_job_id(summary["tracker"], number)).delete()
		tracker_name = summary["tracker"]
		requests = frappe.get_all(REQUEST, filters={"tracker": tracker_name}, pluck="name", order_by="batch_number")
		earlier = frappe.utils.add_to_date(None, seconds=-5)
		frappe.db.set_value("Bulk Operation Tracker", tracker_name, "modified", earlier, update_modified=False)
		frappe.db.commit()
		live = batches.LiveRefresh(tracker_name)
		frappe.set_user(self.manager.name)
		with quiet_user_side_effects():
			batches.process_requests(tracker_name, [requests[0]], {}, live)
			live.last -= batches.REFRESH_INTERVAL_SECONDS  # the job's second has passed, in the next batch
			batches.process_requests(tracker_name, [requests[1]], {}, live)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Bulk Operation Tracker", tracker_name, "processed"), 2)


class TestBulkWithWorkers(WithBulkWorkers, BulkTestCase):
	def test_bulk_sizes_complete_with_exact_counts(self):
		for size in (1, 49, 50, 51, 101):
			with self.subTest(size=size):
				names = make_members(size)
				summary = self.queue_bulk(names)
				tracker = wait_for_tracker(summary["tracker"], timeout=300)
				self.assertEqual(tracker.status, "Completed")
				self.assertEqual(
					(tracker.total, tracker.processed, tracker.successful, tracker.failed, tracker.waiting_for_retry),
					(size, size, size, 0, 0),
				)
				self.assertEqual((tracker.batches_total, tracker.batches_done), (math.ceil(size / 50),) * 2)
				self.assertTrue(tracker.finished_at and tracker.rate_per_minute > 0)
				self.assert_every_member_has_one_user(names)

	def test_cancel_stops_remaining_requests(self):
		"""The run is held at its fifth member by construction, cancelled, then let go."""
		names = make_members(40)
		frappe.db.commit()  # the members must be visible to the connection that locks them
		with hold_member_locks([names[4]]):
			summary = self.queue_bulk(names, batch_size=40)
			wait_until_processing(requests_of_members([names[4]]))
			frappe.set_user(self.manager.name)
			acm.cancel_bulk_operation(summary["tracker"])
			frappe.db.commit()
		tracker = wait_for_tracker(summary["tracker"])
		self.assertEqual(tracker.status, "Cancelled")
		self.assertEqual((tracker.successful, tracker.cancelled, tracker.failed), (5, 35, 0))
		self.assertEqual(frappe.db.count("Member", {"name": ("in", names), "user": ("is", "set")}), 5)


class TestWorkerKilled(BulkTestCase):
	def test_sigkill_mid_batch_then_recovery(self):
		"""Both workers are held mid-batch by construction (a locked member), killed, then recovered."""
		names = make_members(60)
		frappe.db.commit()  # the members must be visible to the connection that locks them
		held = [names[2], names[32]]  # the third member of each batch of 30
		workers = BulkWorkers(2).start()
		try:
			with hold_member_locks(held):
				summary = self.queue_bulk(names, batch_size=30)
				wait_until_processing(requests_of_members(held))
				workers.kill()
			frappe.db.rollback()
			stranded = frappe.db.count(REQUEST, {"tracker": summary["tracker"], "status": ("in", ("Queued", "Processing"))})
			self.assertGreaterEqual(stranded, 2 * 28, "each batch stops at its held member")
			age_requests(summary["tracker"])  # as if the grace period had passed since the kill
			process_retry_queues()  # the scheduler's recovery, every minute: no human needed
			frappe.db.commit()
			self.assertEqual(frappe.db.count(REQUEST, {"tracker": summary["tracker"], "status": "Processing"}), 0)
			workers = BulkWorkers(2).start()
			tracker = wait_for_tracker(summary["tracker"], timeout=300)
		finally:
			workers.stop()
		self.assertEqual(tracker.status, "Completed")
		self.assertEqual((tracker.total, tracker.processed, tracker.successful, tracker.failed), (60, 60, 60, 0))
		self.assert_every_member_has_one_user(names)


class TestLostJobs(BulkTestCase):
	"""Redis lost a run's jobs (flushed, restarted): the scheduler's recovery enqueues them again."""

	def queue_without_workers(self, count: int, batch_size: int) -> tuple[list[str], str, int]:
		names = make_members(count)
		summary = self.queue_bulk(names, batch_size=batch_size)  # no worker serves `bulk` here
		return names, summary["tracker"], summary["batches"]

	def run_jobs(self, tracker_name: str) -> list[str]:
		queue = get_queue("bulk")
		return [job_id for job_id in queue.get_job_ids() if tracker_name in job_id]

	def test_lost_jobs_are_enqueued_again_and_the_run_completes(self):
		names, tracker_name, batches = self.queue_without_workers(30, 10)
		for number in range(1, batches + 1):
			get_job(batch_job_id(tracker_name, number)).delete()  # what a flushed Redis does
		self.assertNotIn(tracker_name, trackers_with_waiting_jobs())
		age_requests(tracker_name)
		process_retry_queues()  # the scheduler event, every minute
		frappe.db.commit()  # jobs are enqueued after commit
		self.assertEqual(len(self.run_jobs(tracker_name)), batches)
		process_retry_queues()
		frappe.db.commit()
		self.assertEqual(len(self.run_jobs(tracker_name)), batches, "a run with waiting jobs is left alone")
		workers = BulkWorkers(2).start()
		try:
			result = wait_for_tracker(tracker_name, timeout=300)
		finally:
			workers.stop()
		self.assertEqual((result.status, result.successful, result.failed), ("Completed", 30, 0))
		self.assert_every_member_has_one_user(names)

	def test_a_run_whose_jobs_wait_is_left_alone(self):
		_, tracker_name, batches = self.queue_without_workers(20, 10)
		age_requests(tracker_name)
		process_retry_queues()
		frappe.db.commit()
		self.assertEqual(len(self.run_jobs(tracker_name)), batches)
		acm.cancel_bulk_operation(tracker_name)
		queue = get_queue("bulk")
		for job_id in self.run_jobs(tracker_name):
			queue.fetch_job(job_id).delete()


class TestNamesakeContactRace(BulkTestCase):
	def test_a_contact_name_taken_at_the_same_moment_reruns_the_request(self):
		"""Another transaction inserts the Contact name the worker picked; the request is rerun."""
		member = make_member(first_name="Gelijk", last_name=f"Naam {frappe.generate_hash(length=6)}")
		frappe.db.commit()
		other = connect_as_site()  # a namesake's Contact, inserted but not yet committed
		with other.cursor() as cursor:
			cursor.execute("insert into `tabContact` (name, first_name, creation, modified, owner, modified_by) "
				"values (%s, 'Gelijk', now(), now(), 'Administrator', 'Administrator')", (member.full_name,))
		workers = BulkWorkers(1).start()
		try:
			summary = self.queue_bulk([member.name])
			wait_for_statement("insert into `tabcontact`")  # the worker waits for that name
			other.commit()  # the worker's insert now fails as a duplicate, which Frappe swallows
			other.close()
			result = wait_for_tracker(summary["tracker"], timeout=120)
		finally:
			workers.stop()
		self.assertEqual((result.status, result.successful), ("Completed", 1))
		self.assert_every_member_has_one_user([member.name])
		contact = frappe.db.get_value("Contact", {"user": member.email}, "name")
		self.assertNotEqual(contact, member.full_name)
		frappe.delete_doc("Contact", member.full_name, force=True)
		frappe.db.commit()
