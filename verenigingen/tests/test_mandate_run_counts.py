"""A mandate run's counts: live about once a second, exact once its last batch is done."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils.background_jobs import get_job

from verenigingen.account_creation import TRACKER
from verenigingen.sepa import mandate_run
from verenigingen.sepa.mandates import CREATED
from verenigingen.tests.import_factories import set_settings
from verenigingen.tests.sepa_factories import (
	IBANS,
	delete_sepa_data,
	forget_item_run,
	make_members_needing_mandates,
)


class TestMandateRunCounts(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.old_settings = set_settings(bulk_batch_size=2)
		self.members = make_members_needing_mandates(IBANS[:3])
		summary = mandate_run.queue_mandate_run(self.members)
		frappe.db.commit()
		self.tracker = summary["tracker"]
		self.assertEqual((summary["queued"], summary["batches"]), (3, 2))
		for number in (1, 2):  # the batches run in this process instead
			get_job(f"verenigingen-mandates-{self.tracker}-b{number}").delete()

	def tearDown(self):
		frappe.db.rollback()
		delete_sepa_data(self.members)
		frappe.db.delete("Member", {"name": ("in", self.members)})
		forget_item_run(self.tracker)  # with any job a batch's end enqueued again
		set_settings(**self.old_settings)

	def counts(self) -> tuple:
		return frappe.db.get_value(TRACKER, self.tracker, ["status", "successful", "batches_done"])

	def run_batch(self, number: int) -> dict:
		return mandate_run.run_mandate_batch(self.tracker, self.members[(number - 1) * 2 : number * 2], number)

	def test_a_batch_within_the_interval_leaves_the_recount_to_a_later_one_and_the_last_counts_all(self):
		# An interval no batch can finish within on any machine: the first batch's recount is skipped.
		with patch.object(mandate_run, "REFRESH_INTERVAL_SECONDS", 3600):
			self.assertEqual(set(self.run_batch(1).values()), {CREATED})
			self.assertEqual(self.counts(), ("Processing", 0, 1))
			self.run_batch(2)
		self.assertEqual(self.counts(), ("Completed", 3, 2))

	def test_a_batch_after_the_interval_recounts(self):
		with patch.object(mandate_run, "REFRESH_INTERVAL_SECONDS", 0):
			self.run_batch(1)
		self.assertEqual(self.counts()[1:], (2, 1))

	def test_the_recount_reads_one_index(self):
		columns = [
			row.Column_name for row in frappe.db.sql("show index from `tabSEPA Audit Log`", as_dict=True)
			if row.Key_name == "trace_id_action_compliance_status_entity_name_index"
		]
		self.assertEqual(columns, ["trace_id", "action", "compliance_status", "entity_name"])
		plan = frappe.db.sql(
			"explain select compliance_status = 'Failed', count(distinct entity_name) from `tabSEPA Audit Log`"
			" where trace_id = %(trace)s and action in %(outcomes)s group by 1",
			{"trace": self.tracker, "outcomes": mandate_run.OUTCOME_ACTIONS}, as_dict=True,
		)
		self.assertIn("Using index", plan[0].Extra)
