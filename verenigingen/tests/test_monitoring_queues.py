"""Queue status, stuck jobs and the queue check on real `bench worker --queue bulk` processes."""

import time

import frappe
from frappe.utils.background_jobs import get_job, get_queue
from rq.registry import FailedJobRegistry

from verenigingen.core import queue_health
from verenigingen.core.batching import batch_job_id
from verenigingen.core.queue_health import WORKER_GONE
from verenigingen.monitoring import ALERT, alerts, queue_checks, queues
from verenigingen.tests.blocking import hold_member_locks, requests_of_members, wait_until_processing
from verenigingen.tests.factories import make_members
from verenigingen.tests.test_bulk_accounts import BulkTestCase
from verenigingen.tests.workers import BulkWorkers, wait_for_tracker
from verenigingen.utils import account_creation_manager as acm
from verenigingen.utils import bulk_queue_config


def active_alerts_of(alert_type: str) -> list[dict]:
	return frappe.get_all(
		ALERT,
		filters={"alert_type": alert_type, "status": ("in", ("Open", "Acknowledged"))},
		fields=["name", "alert_key", "occurrences", "status", "severity"],
	)


def only_these_serve_bulk(workers: BulkWorkers, timeout: float = 90) -> None:
	"""Wait until the started worker is registered and no other live process serves `bulk`.

	The queue is the whole bench's: a worker of another test run would take this run's batch,
	and killing our worker would then prove nothing.
	"""
	ours = {process.pid for process in workers.processes}
	deadline, others = time.monotonic() + timeout, []
	while time.monotonic() < deadline:
		live = [w for w in queues.queue_status("bulk")["workers"] if w["alive"] is not False]
		others = [w for w in live if w["pid"] not in ours]
		if ours <= {w["pid"] for w in live} and not others:
			return
		time.sleep(0.2)
	raise AssertionError(
		f"other processes serve this bench's bulk queue, the kill would prove nothing: {others}"
	)


class TestStuckRun(BulkTestCase):
	def test_killed_workers_show_as_stuck_and_clear_completes_the_run(self):
		names = make_members(6)
		frappe.db.commit()  # the lock connection must see the members
		# One worker: it takes batch 1 and waits at its first member; batch 2 stays queued, so
		# exactly one job is started when the worker dies.
		workers = BulkWorkers(1).start()
		try:
			only_these_serve_bulk(workers)
			with hold_member_locks([names[0]]):
				summary = self.queue_bulk(names, batch_size=3)
				tracker_name = summary["tracker"]
				blocked = requests_of_members([names[0]])
				# The first request of batch 1 is claimed and now waits for the Member row lock.
				wait_until_processing(blocked)
				self.assertEqual(workers.kill(), 1, "the busy worker's work horse")
				status = bulk_queue_config.get_queue_status()
			stuck = [job for job in status["stuck_jobs"] if job["tracker"] == tracker_name]
			self.assertEqual(len(stuck), 1, status["stuck_jobs"])
			self.assertEqual(
				(stuck[0]["queue"], stuck[0]["reason"], stuck[0]["site"]),
				("bulk", WORKER_GONE, frappe.local.site),
			)
			self.assertTrue(
				all(
					w["alive"] is False
					for w in status["queues"]["bulk"]["workers"]
					if w["name"] == stuck[0]["worker"]
				)
			)
			waiting = {row["tracker"]: row for row in status["members_waiting_per_tracker"]}
			self.assertEqual((waiting[tracker_name]["processing"], waiting[tracker_name]["queued"]), (1, 5))
			self.assertGreaterEqual(status["queues"]["bulk"]["queued"], 1)

			frappe.set_user("Administrator")
			result = bulk_queue_config.clear_stuck_jobs()
			frappe.db.commit()  # the re-enqueued batches go to Redis on commit
			self.assertIn(stuck[0]["job_id"], [job["job_id"] for job in result["jobs_moved_to_failed"]])
			self.assertEqual(result["requests_requeued"], blocked)
			failed = FailedJobRegistry(queue=get_queue("bulk"))
			self.assertIn(stuck[0]["job_id"], failed.get_job_ids())
			action = frappe.get_doc("Verenigingen Monitoring Action", result["action"])
			self.assertEqual((action.action, action.performed_by), ("Clear Stuck Jobs", "Administrator"))
			self.assertIn(stuck[0]["job_id"], action.result)
			after = bulk_queue_config.get_queue_status()["stuck_jobs"]
			self.assertEqual([job for job in after if job["tracker"] == tracker_name], [])

			workers = BulkWorkers(2).start()
			tracker = wait_for_tracker(tracker_name, timeout=300)
		finally:
			workers.stop()
		self.assertEqual(tracker.status, "Completed")
		self.assertEqual((tracker.total, tracker.processed, tracker.successful, tracker.failed), (6, 6, 6, 0))
		self.assert_every_member_has_one_user(names)


class TestQueueAlerts(BulkTestCase):
	"""Thresholds crossed on purpose with real requests and settings; no workers run here."""

	def setUp(self):
		super().setUp()
		for alert_type in queue_health.QUEUE_ALERT_TYPES:
			alerts.resolve_cleared(alert_type, [])
		self.settings = frappe.db.get_singles_dict("Verenigingen Settings")

	def tearDown(self):
		for field in ("bulk_background_workers", "backlog_alert_members"):
			frappe.db.set_single_value("Verenigingen Settings", field, self.settings.get(field))
		super().tearDown()

	def check_twice_then_clear(self, alert_type: str, key: str, clear) -> None:
		queue_checks.check_bulk_queue()
		(alert,) = active_alerts_of(alert_type)
		self.assertEqual((alert.alert_key, alert.occurrences), (key, 1))
		queue_checks.check_bulk_queue()
		(again,) = active_alerts_of(alert_type)
		self.assertEqual((again.name, again.occurrences), (alert.name, 2))
		clear()
		queue_checks.check_bulk_queue()
		self.assertEqual(active_alerts_of(alert_type), [])
		self.assertEqual(frappe.db.get_value(ALERT, alert.name, "status"), "Resolved")

	def test_fewer_workers_than_configured(self):
		frappe.db.set_single_value("Verenigingen Settings", "bulk_background_workers", 50)
		self.check_twice_then_clear(
			queue_health.WORKERS_BELOW_CONFIGURED,
			"bulk",
			lambda: frappe.db.set_single_value("Verenigingen Settings", "bulk_background_workers", 0),
		)

	def test_members_waiting_above_the_limit(self):
		frappe.db.set_single_value("Verenigingen Settings", "backlog_alert_members", 2)
		summary = self.queue_bulk(make_members(3))
		get_job(batch_job_id(summary["tracker"], 1)).delete()  # no worker here: the requests stay Queued

		def cancel():
			frappe.set_user(self.manager.name)
			acm.cancel_bulk_operation(summary["tracker"])
			frappe.set_user("Administrator")

		self.check_twice_then_clear(queue_health.MEMBERS_WAITING, "bulk", cancel)


class TestBenchAndSiteFigures(BulkTestCase):
	"""The bulk queue's registries hold every site's jobs: the status gives the bench's and this site's."""

	def setUp(self):
		super().setUp()
		queue = get_queue("bulk")
		self.registry = FailedJobRegistry(queue=queue)
		self.jobs = []
		for site in (frappe.local.site, "another-site.localhost", "another-site.localhost"):
			job = queue.create_job("frappe.ping", job_id=f"{site}::vt-site-figures-{frappe.generate_hash(length=8)}")
			job.save()
			self.registry.add(job, ttl=600, exc_string="failed on purpose")
			self.jobs.append(job)

	def tearDown(self):
		for job in self.jobs:
			self.registry.remove(job, delete_job=True)
		super().tearDown()

	def test_failed_jobs_of_the_bench_and_of_this_site(self):
		"""Three failed jobs more for the bench, one of them this site's; the API says which is which."""
		before = {job.id for job in self.jobs}
		status = queues.queue_status("bulk")
		# Read as the status reads it (no rq cleanup); nothing else runs under the tier-2 lock.
		ids = {job_id.decode() for job_id in self.registry.connection.zrange(self.registry.key, 0, -1)}
		self.assertLessEqual(before, ids)
		self.assertEqual(status["scope"], "bench")
		self.assertEqual(status["failed"], len(ids))
		own = [job_id for job_id in ids if job_id.startswith(f"{frappe.local.site}::")]
		self.assertEqual(status["site"]["failed"], len(own))
		self.assertEqual(status["site"]["name"], frappe.local.site)
		self.assertGreaterEqual(status["failed"] - status["site"]["failed"], 2)
		api = bulk_queue_config.get_queue_status()
		self.assertEqual(api["site"], frappe.local.site)
		self.assertIn("failed", api["bench_wide_figures"])
		self.assertEqual(api["queues"]["bulk"]["site"]["failed"], len(own))
