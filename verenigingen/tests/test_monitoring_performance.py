"""The performance check and dashboard on real trackers: thresholds crossed on purpose, then cleared."""

from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

from verenigingen.account_creation import TRACKER
from verenigingen.core import performance
from verenigingen.monitoring import ALERT
from verenigingen.monitoring.performance import check_performance
from verenigingen.tests.alert_helpers import AlertTestCase, emails_for
from verenigingen.utils import bulk_performance_monitor, bulk_retry_processor

SETTINGS = "Verenigingen Settings"


def make_tracker(successful: int, failed: int = 0, minutes: float = 10, finished: bool = True,
	operation_type: str = performance.ACCOUNT_CREATION) -> str:
	"""A bulk run's tracker with these figures, started ``minutes`` ago."""
	now = now_datetime()
	doc = frappe.get_doc(
		{
			"doctype": TRACKER,
			"operation_type": operation_type,
			"status": "Processing",
			"requested_by": "Administrator",
			"total": successful + failed,
			"batch_size": 50,
			"priority": "Low",
		}
	)
	doc.insert()
	frappe.db.set_value(
		TRACKER,
		doc.name,
		{
			"processed": successful + failed,
			"successful": successful,
			"failed": failed,
			"started_at": now - timedelta(minutes=minutes),
			"finished_at": now if finished else None,
			"status": "Completed with Errors"
			if finished and failed
			else ("Completed" if finished else "Processing"),
		},
	)
	return doc.name


def active(alert_type: str, key: str) -> list[dict]:
	return frappe.get_all(
		ALERT,
		filters={"alert_type": alert_type, "alert_key": key, "status": ("in", ("Open", "Acknowledged"))},
		fields=["name", "occurrences"],
	)


class TestPerformanceAlerts(AlertTestCase):
	"""No active alerts at the start, e-mail to one recipient with a 60-minute cooldown; rolled back after."""

	def crosses_once_counts_then_resolves(self, alert_type: str, tracker_name: str, clear) -> None:
		check_performance()
		(alert,) = active(alert_type, tracker_name)
		self.assertEqual((alert.occurrences, emails_for(alert.name)), (1, 1))
		check_performance()
		(again,) = active(alert_type, tracker_name)
		self.assertEqual((again.name, again.occurrences), (alert.name, 2))
		self.assertEqual(emails_for(alert.name), 1, "no second e-mail inside the cooldown")
		clear()
		check_performance()
		self.assertEqual(active(alert_type, tracker_name), [])
		self.assertEqual(frappe.db.get_value(ALERT, alert.name, "status"), "Resolved")

	def test_success_rate_below_threshold(self):
		name = make_tracker(successful=600, failed=400, minutes=10)
		self.crosses_once_counts_then_resolves(
			performance.SUCCESS_RATE_LOW,
			name,
			lambda: frappe.db.set_value(TRACKER, name, {"successful": 1000, "failed": 0}),
		)

	def test_completion_time_above_threshold(self):
		name = make_tracker(successful=9000, minutes=7 * 60, finished=False)
		self.crosses_once_counts_then_resolves(
			performance.COMPLETION_SLOW,
			name,
			lambda: frappe.db.set_value(TRACKER, name, "started_at", now_datetime() - timedelta(hours=1)),
		)

	def test_rate_below_threshold(self):
		frappe.db.set_single_value(SETTINGS, "min_accounts_per_minute", 15)
		name = make_tracker(successful=100, minutes=10)
		self.crosses_once_counts_then_resolves(
			performance.RATE_LOW,
			name,
			lambda: frappe.db.set_single_value(SETTINGS, "min_accounts_per_minute", 5),
		)

	def test_each_operation_type_is_judged_by_its_own_rate(self):
		"""100 per minute: fine for an account run (15), slow for a mandate run (300)."""
		frappe.db.set_single_value(SETTINGS, {"min_accounts_per_minute": 15, "min_mandates_per_minute": 300})
		accounts = make_tracker(successful=1000, minutes=10)
		mandates = make_tracker(successful=1000, minutes=10, operation_type=performance.MANDATE_CREATION)
		check_performance()
		self.assertEqual(active(performance.RATE_LOW, accounts), [])
		(alert,) = active(performance.RATE_LOW, mandates)
		self.assertEqual(frappe.db.get_value(ALERT, alert.name, "message"),
			f"Mandate run {mandates}: 100.0 mandates per minute (alert below 300.0)")
		frappe.db.set_single_value(SETTINGS, "min_mandates_per_minute", 50)
		check_performance()
		self.assertEqual(active(performance.RATE_LOW, mandates), [])

	def test_healthy_run_raises_nothing(self):
		name = make_tracker(successful=1000, minutes=10)
		check_performance()
		for alert_type in performance.PERFORMANCE_ALERT_TYPES:
			self.assertEqual(active(alert_type, name), [])

	def test_failures_by_class_and_reason_are_reported(self):
		result = bulk_performance_monitor.run_performance_monitoring()
		self.assertTrue(result["ok"], result)
		self.assertIn("failures", result["result"])


class TestDashboard(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_one_call_holds_every_part_with_the_database_figures(self):
		newest = make_tracker(successful=90, failed=10, minutes=5)
		data = bulk_performance_monitor.get_performance_dashboard_data(days="7")
		since = now_datetime() - timedelta(days=7)
		self.assertEqual(data["total_operations"], frappe.db.count(TRACKER, {"creation": (">=", since)}))
		self.assertEqual(data["last_operations"][0]["name"], newest)
		self.assertEqual(data["last_operations"][0]["progress_percent"], 100.0)
		self.assertLessEqual(len(data["last_operations"]), 5)
		self.assertIn("bulk", data["queue_health"]["queues"])
		self.assertIsInstance(data["active_alerts"], list)
		self.assertEqual(
			data["retry_queue"]["waiting"], bulk_retry_processor.get_retry_queue_status()["waiting"]
		)
		for key in ("success_rate", "average_rate_per_minute", "average_completion_minutes"):
			self.assertIn(key, data)

	def test_figures_per_operation_type(self):
		"""Mandate runs are summed apart from account runs (accounts per minute are account runs')."""
		make_tracker(successful=100, minutes=10)
		make_tracker(successful=1000, minutes=1, operation_type=performance.MANDATE_CREATION)
		data = bulk_performance_monitor.get_performance_dashboard_data(days="7")
		since = now_datetime() - timedelta(days=7)
		for kind in (performance.ACCOUNT_CREATION, performance.MANDATE_CREATION):
			with self.subTest(kind=kind):
				figures = data["by_operation_type"][kind]
				self.assertEqual(figures["total_operations"],
					frappe.db.count(TRACKER, {"operation_type": kind, "creation": (">=", since)}))
		self.assertEqual(sum(f["total_operations"] for f in data["by_operation_type"].values()),
			data["total_operations"])

	def test_days_must_be_a_positive_number(self):
		self.assertRaises(
			frappe.ValidationError, bulk_performance_monitor.get_performance_dashboard_data, "0"
		)
