"""Pausing and resuming a bulk account run, on real `bench worker --queue bulk` processes."""

import subprocess
import time
from unittest.mock import patch

import frappe
from frappe.utils import get_bench_path
from frappe.utils.background_jobs import get_job

from verenigingen.account_creation import REQUEST, TRACKER, batches, retry
from verenigingen.account_creation.jobs import trackers_with_waiting_jobs
from verenigingen.core.batching import batch_job_id
from verenigingen.monitoring.queues import members_waiting
from verenigingen.tests.blocking import hold_member_locks, requests_of_members, wait_until_processing
from verenigingen.tests.factories import make_members, make_user
from verenigingen.tests.test_bulk_accounts import BulkTestCase, age_requests
from verenigingen.tests.workers import BulkWorkers, wait_for_tracker
from verenigingen.utils import account_creation_manager as acm
from verenigingen.utils.bulk_retry_processor import process_retry_queues


def wait_for_jobs_to_end(job_ids: list[str], timeout: float = 120) -> None:
	"""Wait until every job has ended (finished or failed): nothing of them can still change a request."""
	deadline = time.monotonic() + timeout
	while time.monotonic() < deadline:
		statuses = [get_job(job_id).get_status() if get_job(job_id) else "gone" for job_id in job_ids]
		if all(status in ("finished", "failed", "gone") for status in statuses):
			return
		time.sleep(0.1)
	raise AssertionError(f"jobs {job_ids} still running after {timeout}s")


def request_counts(tracker_name: str) -> dict[str, int]:
	frappe.db.rollback()  # see the workers' commits
	rows = frappe.db.sql(
		"select status, count(*) from `tabAccount Creation Request` where tracker = %s group by status",
		tracker_name,
	)
	return {status: int(count) for status, count in rows}


class PauseTestCase(BulkTestCase):
	def as_manager(self, method, *args):
		frappe.set_user(self.manager.name)
		try:
			result = method(*args)
			frappe.db.commit()  # as the web request would; resume's jobs are enqueued after it
			return result
		finally:
			frappe.set_user("Administrator")


class TestPauseMidRun(PauseTestCase):
	def test_pause_freezes_after_the_member_in_hand_and_resume_completes_exactly(self):
		"""Both batches are held at their fifth member by construction, paused there, then let go."""
		names = make_members(60)
		frappe.db.commit()  # the members must be visible to the connection that locks them
		held = [names[4], names[34]]
		workers = BulkWorkers(2).start()
		try:
			with hold_member_locks(held):
				summary = self.queue_bulk(names, batch_size=30)
				tracker_name = summary["tracker"]
				wait_until_processing(requests_of_members(held))
				paused = self.as_manager(acm.pause_bulk_operation, tracker_name)
				self.assertTrue(paused["changed"])
				self.assertEqual(frappe.db.get_value(TRACKER, tracker_name, "status"), "Paused")
			# The held members finish; neither job starts another member.
			wait_for_jobs_to_end([batch_job_id(tracker_name, 1), batch_job_id(tracker_name, 2)])
			self.assertEqual(request_counts(tracker_name), {"Completed": 10, "Queued": 50})
			tracker = frappe.db.get_value(TRACKER, tracker_name, "*", as_dict=True)
			self.assertEqual((tracker.status, tracker.successful, tracker.processed, tracker.paused), ("Paused", 10, 10, 1))
			self.assertIsNone(tracker.eta)
			# Recovery and alerts leave a paused run alone, however long it has stood still.
			age_requests(tracker_name)
			process_retry_queues()
			frappe.db.commit()
			self.assertNotIn(tracker_name, trackers_with_waiting_jobs())
			self.assertEqual(request_counts(tracker_name), {"Completed": 10, "Queued": 50})
			self.assertNotIn(tracker_name, {row.tracker for row in members_waiting()})
			again = self.as_manager(acm.pause_bulk_operation, tracker_name)
			self.assertFalse(again["changed"])
			self.assertIn("already paused", again["message"])

			resumed = self.as_manager(acm.resume_bulk_operation, tracker_name)
			self.assertEqual((resumed["changed"], resumed["requeued"]), (True, 50))
			tracker = wait_for_tracker(tracker_name, timeout=300)
		finally:
			workers.stop()
		self.assertEqual(tracker.status, "Completed")
		self.assertEqual((tracker.total, tracker.processed, tracker.successful, tracker.failed), (60, 60, 60, 0))
		self.assertEqual((tracker.paused, tracker.paused_at), (0, None))
		self.assertEqual(tracker.batches_done, 2)
		self.assert_every_member_has_one_user(names)
		self.assertEqual(frappe.db.count(REQUEST, {"member": ("in", names)}), 60)  # none duplicated
		with self.assertRaisesRegex(frappe.ValidationError, "has finished"):
			self.as_manager(acm.resume_bulk_operation, tracker_name)


class TestPauseRules(PauseTestCase):
	"""State changes without workers: jobs are not enqueued (patched), the run is steered by hand."""

	def queue_held(self, count: int = 4) -> str:
		with patch.object(batches, "enqueue_batch"):
			summary = self.queue_bulk(make_members(count), batch_size=2)
		self.addCleanup(acm.cancel_bulk_operation, summary["tracker"])
		return summary["tracker"]

	def test_a_paused_run_before_its_start_starts_nothing_and_resumes_queued(self):
		tracker_name = self.queue_held()
		self.as_manager(acm.pause_bulk_operation, tracker_name)
		names = frappe.get_all(REQUEST, filters={"tracker": tracker_name}, pluck="name", order_by="name asc")
		self.assertEqual(batches.run_batch(tracker_name, names[:2]), {})  # the job ends at once
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value(TRACKER, tracker_name, ["status", "started_at"]), ("Paused", None))
		with patch.object(batches, "enqueue_batch") as enqueue:
			resumed = self.as_manager(acm.resume_bulk_operation, tracker_name)
		self.assertEqual(resumed["status"], "Queued")
		self.assertEqual([call.args[1] for call in enqueue.call_args_list], [1, 2])  # in batch order
		self.assertEqual([name for call in enqueue.call_args_list for name in call.args[2]], names)
		self.assertEqual(frappe.db.get_value(TRACKER, tracker_name, "paused_seconds"), 0)  # not started: no pause time

	def test_repeats_and_refusals_say_what_happened(self):
		tracker_name = self.queue_held()
		not_paused = self.as_manager(acm.resume_bulk_operation, tracker_name)
		self.assertEqual((not_paused["changed"], not_paused["requeued"]), (False, 0))
		self.assertIn("not paused", not_paused["message"])
		self.assertTrue(self.as_manager(acm.pause_bulk_operation, tracker_name)["changed"])
		self.assertFalse(self.as_manager(acm.pause_bulk_operation, tracker_name)["changed"])
		self.as_manager(acm.cancel_bulk_operation, tracker_name)
		self.assertEqual(frappe.db.get_value(TRACKER, tracker_name, "status"), "Cancelled")
		with self.assertRaisesRegex(frappe.ValidationError, "cancelled"):
			self.as_manager(acm.resume_bulk_operation, tracker_name)
		with self.assertRaisesRegex(frappe.ValidationError, "cancelled"):
			self.as_manager(acm.pause_bulk_operation, tracker_name)
		with self.assertRaises(frappe.DoesNotExistError):
			self.as_manager(acm.pause_bulk_operation, "BOT-NO-SUCH-RUN")

	def test_mandate_runs_cannot_be_paused(self):
		tracker = frappe.get_doc({"doctype": TRACKER, "operation_type": "Mandate Creation", "status": "Queued",
			"total": 1}).insert()
		frappe.db.commit()
		self.addCleanup(lambda: (frappe.delete_doc(TRACKER, tracker.name), frappe.db.commit()))
		with self.assertRaisesRegex(frappe.ValidationError, "only account creation runs"):
			self.as_manager(acm.pause_bulk_operation, tracker.name)
		self.assertEqual(frappe.db.get_value(TRACKER, tracker.name, ["status", "paused"]), ("Queued", 0))

	def test_retries_of_a_paused_run_wait_for_the_resume(self):
		tracker_name = self.queue_held(2)
		request = frappe.get_all(REQUEST, filters={"tracker": tracker_name}, pluck="name")[0]
		past = frappe.utils.add_to_date(None, minutes=-1)
		frappe.db.set_value(REQUEST, request, {"status": "Failed", "next_retry_at": past})
		frappe.db.commit()
		self.assertIn(request, [row.name for row in retry.select_due_requests()])
		self.as_manager(acm.pause_bulk_operation, tracker_name)
		self.assertNotIn(request, [row.name for row in retry.select_due_requests()])
		self.assertEqual(frappe.db.get_value(TRACKER, tracker_name, "status"), "Paused")

	def test_someone_without_run_control_may_not_pause(self):
		tracker_name = self.queue_held(2)
		outsider = make_user(roles=(), user_type="System User")
		frappe.db.commit()
		frappe.set_user(outsider.name)
		try:
			with self.assertRaises(frappe.PermissionError):
				acm.pause_bulk_operation(tracker_name)
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value(TRACKER, tracker_name, "paused"), 0)


class TestRunCommand(PauseTestCase):
	def test_bench_command_pauses_and_resumes(self):
		with patch.object(batches, "enqueue_batch"):
			summary = self.queue_bulk(make_members(2))
		tracker_name = summary["tracker"]
		self.addCleanup(acm.cancel_bulk_operation, tracker_name)
		site = frappe.local.site
		bench = get_bench_path()

		def run(*args):
			return subprocess.run(["bench", "--site", site, "verenigingen-run", *args], cwd=bench,
				capture_output=True, text=True, timeout=120)

		paused = run("pause", tracker_name)
		self.assertEqual(paused.returncode, 0, paused.stderr)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value(TRACKER, tracker_name, "status"), "Paused")
		self.assertEqual(run("pause", tracker_name).returncode, 0)  # again: says so, changes nothing
		resumed = run("resume", tracker_name)
		self.assertEqual(resumed.returncode, 0, resumed.stderr)
		self.assertIn("2", resumed.stdout)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value(TRACKER, tracker_name, "paused"), 0)
		self.assertIn(tracker_name, trackers_with_waiting_jobs())  # the resume enqueued its batch
		refused = run("pause", "BOT-NO-SUCH-RUN")
		self.assertEqual(refused.returncode, 1)
		self.assertIn("not found", refused.stderr)
