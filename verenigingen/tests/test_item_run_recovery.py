"""A run over plain items (a SEPA mandate run) whose batch job was lost is enqueued again and completes:
each member one mandate, each batch counted once."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils.background_jobs import get_job

from verenigingen.account_creation import BATCH as RUN_BATCH
from verenigingen.account_creation import TRACKER, item_runs
from verenigingen.account_creation.site_activity import open_run
from verenigingen.sepa import MANDATE, mandate_run
from verenigingen.tests.blocking import hold_member_locks, wait_for_statement
from verenigingen.tests.import_factories import set_settings
from verenigingen.tests.sepa_factories import delete_sepa_data, forget_item_run, make_members_needing_mandates
from verenigingen.tests.workers import BulkWorkers, production_environment, wait_for_tracker


class ItemRunCase(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.old_settings = set_settings(bulk_batch_size=2)
		self.members = make_members_needing_mandates()
		frappe.db.commit()  # the workers and the lock connection must see them

	def tearDown(self):
		frappe.db.rollback()
		delete_sepa_data(self.members)
		frappe.db.delete("Member", {"name": ("in", self.members)})
		for tracker in getattr(self, "trackers", []):
			forget_item_run(tracker)
		set_settings(**self.old_settings)
		frappe.db.commit()

	def queue_run(self) -> str:
		summary = mandate_run.queue_mandate_run(self.members)
		frappe.db.commit()  # the batches are enqueued after commit
		self.trackers = [summary["tracker"]]
		self.assertEqual((summary["queued"], summary["batches"]), (4, 2))
		return summary["tracker"]

	def batches(self, tracker: str) -> list[dict]:
		frappe.db.rollback()  # see the workers' commits
		return frappe.get_all(RUN_BATCH, filters={"tracker": tracker}, order_by="batch_number asc",
			fields=["batch_number", "status", "generation", "job_id", "job_kwargs"])

	def age_batches(self, tracker: str) -> None:
		"""Older than the grace a just-enqueued job has: by construction, not by waiting."""
		frappe.db.sql(
			f"update `tab{RUN_BATCH}` set modified = modified - interval %(seconds)s second where tracker = %(tracker)s",
			{"seconds": item_runs.LOST_BATCH_GRACE_SECONDS + 1, "tracker": tracker},
		)
		frappe.db.commit()

	def mandates_per_member(self) -> dict[str, int]:
		rows = frappe.get_all(MANDATE, filters={"member": ("in", self.members), "status": "Active"}, pluck="member")
		return {member: rows.count(member) for member in self.members}


class TestLostBatches(ItemRunCase):
	def drop_jobs(self, tracker: str) -> None:
		"""What a flushed Redis does to the run's waiting jobs."""
		for batch in self.batches(tracker):
			get_job(batch.job_id).delete()

	def test_lost_jobs_are_enqueued_again_once_and_a_batch_run_twice_counts_once(self):
		tracker = self.queue_run()
		self.assertEqual([(b.batch_number, b.status, b.generation) for b in self.batches(tracker)],
			[(1, "Queued", 0), (2, "Queued", 0)])
		kwargs = json.loads(self.batches(tracker)[0].job_kwargs)
		self.assertEqual(set(kwargs), {"tracker_name", "member_names", "batch_number"})  # names only
		self.assertIsNotNone(open_run(), "an open batch keeps the watch going")
		self.drop_jobs(tracker)
		self.assertEqual(item_runs.recover_lost_item_batches(), 0, "within the grace a job may still come")
		self.age_batches(tracker)
		self.assertEqual(item_runs.recover_lost_item_batches(), 2)
		batches = self.batches(tracker)
		self.assertEqual([(b.generation, b.job_id) for b in batches],
			[(1, f"verenigingen-mandates-{tracker}-b{n}-r1") for n in (1, 2)])
		self.assertTrue(all(get_job(b.job_id).get_status() == "queued" for b in batches))
		self.age_batches(tracker)
		self.assertEqual(item_runs.recover_lost_item_batches(), 0, "their jobs are waiting in the queue")

		# The jobs run here instead of on a worker; batch 1 runs twice.
		self.drop_jobs(tracker)
		for batch in batches + batches[:1]:
			mandate_run.run_mandate_batch(**json.loads(batch.job_kwargs))
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value(TRACKER, tracker, ["status", "successful", "batches_done"]),
			("Completed", 4, 2))
		self.assertEqual(set(self.mandates_per_member().values()), {1})
		self.age_batches(tracker)
		self.assertEqual(item_runs.recover_lost_item_batches(), 0, "done batches stay done")

	def test_a_paused_or_cancelled_run_is_left_alone(self):
		tracker = self.queue_run()
		self.drop_jobs(tracker)
		self.age_batches(tracker)
		for flag in ("paused", "cancel_requested"):
			frappe.db.set_value(TRACKER, tracker, flag, 1)
			frappe.db.commit()
			self.assertEqual(item_runs.recover_lost_item_batches(), 0, flag)
			frappe.db.set_value(TRACKER, tracker, flag, 0)
		self.assertEqual(item_runs.recover_lost_item_batches(), 2)


class TestKilledWorker(ItemRunCase):
	def test_a_batch_whose_worker_was_killed_mid_batch_is_run_again_and_the_run_completes(self):
		workers = BulkWorkers(1, env=production_environment()).start()
		try:
			# The first member of batch 1 is locked: its job waits there, by construction, until killed.
			with hold_member_locks(self.members[:1]):
				tracker = self.queue_run()
				wait_for_statement("select%from `tabmember`%for update")
				workers.kill()
			workers = BulkWorkers(1, env=production_environment()).start()
			self.age_batches(tracker)
			# Batch 1's job is in rq's started registry under a dead worker; batch 2's waits in the queue.
			self.assertEqual(item_runs.recover_lost_item_batches(), 1)
			self.assertEqual(sorted(b.generation for b in self.batches(tracker)), [0, 1])
			done = wait_for_tracker(tracker)
		finally:
			workers.stop()
		self.assertEqual((done.status, done.successful, done.failed, done.batches_done), ("Completed", 4, 0, 2))
		self.assertEqual(set(self.mandates_per_member().values()), {1})
		self.assertEqual({b.status for b in self.batches(tracker)}, {"Done"})
