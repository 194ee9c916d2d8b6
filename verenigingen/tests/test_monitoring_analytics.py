"""The insights report on real rows: configurations, failure reasons, member growth, and honest gaps."""

from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

from verenigingen.account_creation import REQUEST, TRACKER
from verenigingen.core.insights import NOT_ENOUGH_DATA
from verenigingen.tests.factories import make_member, make_members
from verenigingen.utils.analytics_engine import AnalyticsEngine

# Batch sizes no other test uses, so these groups hold only this test's runs.
SLOW_BATCH, FAST_BATCH = 37, 73


def finished_run(batch_size: int, workers: int, accounts: int, minutes: float) -> str:
	now = now_datetime()
	doc = frappe.get_doc(
		{
			"doctype": TRACKER,
			"operation_type": "Account Creation",
			"status": "Completed",
			"requested_by": "Administrator",
			"total": accounts,
			"batch_size": batch_size,
			"priority": "Low",
		}
	)
	doc.insert()
	frappe.db.set_value(
		TRACKER,
		doc.name,
		{
			"processed": accounts,
			"successful": accounts,
			"bulk_workers": workers,
			"started_at": now - timedelta(minutes=minutes),
			"finished_at": now,
		},
	)
	return doc.name


class TestInsights(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def report(self) -> dict:
		return AnalyticsEngine(days=30).generate_insights_report()

	def test_configurations_are_compared_only_with_enough_runs_and_cite_their_rates(self):
		for _ in range(3):
			finished_run(SLOW_BATCH, 1, 6000, 60)  # 100 accounts/min
		for _ in range(2):
			finished_run(FAST_BATCH, 4, 60000, 1)  # 60,000 accounts/min, but only two runs
		report = self.report()
		rows = {(r["batch_size"], r["workers"]): r for r in report["runs_by_configuration"]}
		self.assertEqual((rows[(SLOW_BATCH, 1)]["runs"], rows[(SLOW_BATCH, 1)]["average_rate"]), (3, 100.0))
		self.assertEqual(rows[(FAST_BATCH, 4)]["runs"], 2)
		advice = next(r for r in report["recommendations"] if r["topic"] == "configuration")
		if advice["advice"] == "use_fastest_configuration":  # other runs on this site may make two groups
			self.assertNotEqual(
				(advice["figures"]["batch_size"], advice["figures"]["workers"]), (FAST_BATCH, 4)
			)
		finished_run(FAST_BATCH, 4, 60000, 1)
		advice = next(r for r in self.report()["recommendations"] if r["topic"] == "configuration")
		self.assertEqual(advice["advice"], "use_fastest_configuration")
		self.assertEqual(
			(
				advice["figures"]["batch_size"],
				advice["figures"]["workers"],
				advice["figures"]["rate"],
				advice["figures"]["runs"],
			),
			(FAST_BATCH, 4, 60000.0, 3),
		)
		self.assertIn("60000.0", advice["text"])

	def test_unrecorded_worker_count_is_unknown(self):
		finished_run(SLOW_BATCH, 0, 100, 1)
		rows = self.report()["runs_by_configuration"]
		self.assertIn((SLOW_BATCH, None), {(r["batch_size"], r["workers"]) for r in rows})

	def test_failure_reasons_are_counted(self):
		reason = f"Test reason {frappe.generate_hash(length=6)}"
		now = now_datetime()
		for member in make_members(12):
			frappe.get_doc(
				{
					"doctype": REQUEST,
					"member": member,
					"status": "Failed",
					"failure_class": "permanent",
					"failure_reason": reason,
					"processed_at": now,
				}
			).insert()
		rows = [r for r in self.report()["top_failure_reasons"] if r.failure_reason == reason]
		self.assertEqual([(r.failure_class, r.failures) for r in rows], [("permanent", 12)])

	def test_member_growth_per_month_joined(self):
		before = {r.month: r.joined for r in self.report()["member_growth"]}
		for day in ("1901-02-03", "1901-02-20", "1901-05-01"):
			make_member(member_since=day)
		growth = self.report()["member_growth"]
		joined = {r.month: r.joined for r in growth}
		self.assertEqual(joined["1901-02"] - before.get("1901-02", 0), 2)
		self.assertEqual(joined["1901-05"] - before.get("1901-05", 0), 1)
		self.assertEqual(growth[-1]["members"], frappe.db.count("Member", {"member_since": ("is", "set")}))

	def test_an_empty_window_says_not_enough_data_for_every_recommendation(self):
		report = AnalyticsEngine(days=0).generate_insights_report()  # nothing was processed after now
		self.assertEqual([r["advice"] for r in report["recommendations"]], [NOT_ENOUGH_DATA] * 3)
		self.assertTrue(all(r["text"].startswith("Not enough data") for r in report["recommendations"]))
		self.assertEqual((report["throughput_per_day"], report["top_failure_reasons"]), ([], []))
