"""Every monitoring method refuses Guest, a member's website user and a System User without app roles."""

import frappe
from frappe.tests.utils import FrappeTestCase

from verenigingen.permissions import MONITORING_ROLE
from verenigingen.tests.factories import make_staff_user, make_user
from verenigingen.utils import (
	analytics_engine,
	bulk_performance_monitor,
	bulk_queue_config,
	health,
	resource_monitor,
)

STAFF_READS = {
	"get_queue_status": bulk_queue_config.get_queue_status,
	"get_performance_dashboard_data": bulk_performance_monitor.get_performance_dashboard_data,
	"get_system_metrics": resource_monitor.get_system_metrics,
	"generate_insights_report": analytics_engine.generate_insights_report,
}
ALL_METHODS = {
	**STAFF_READS,
	"clear_stuck_jobs": bulk_queue_config.clear_stuck_jobs,
	"metrics": health.metrics,
}


class TestMonitoringPermissions(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def assert_refused(self, user: str, methods: dict) -> None:
		frappe.set_user(user)
		for name, method in methods.items():
			with self.subTest(user=user, method=name):
				self.assertRaises(frappe.PermissionError, method)

	def test_outsiders_are_refused_everything(self):
		for user in ("Guest", make_user().name, make_user(roles=(), user_type="System User").name):
			self.assert_refused(user, ALL_METHODS)

	def test_manager_reads_but_cannot_clear_or_scrape(self):
		manager = make_staff_user("Verenigingen Manager")
		frappe.set_user(manager.name)
		for name, method in STAFF_READS.items():
			with self.subTest(method=name):
				self.assertIsInstance(method(), dict)
		self.assert_refused(
			manager.name, {"clear_stuck_jobs": bulk_queue_config.clear_stuck_jobs, "metrics": health.metrics}
		)

	def test_monitoring_role_only_scrapes(self):
		monitor = make_user(roles=(MONITORING_ROLE,))
		frappe.set_user(monitor.name)
		self.assertEqual(health.metrics().status_code, 200)
		self.assert_refused(
			monitor.name, {**STAFF_READS, "clear_stuck_jobs": bulk_queue_config.clear_stuck_jobs}
		)

	def test_administrator_role_may_clear(self):
		admin = make_staff_user("Verenigingen Administrator")
		frappe.set_user(admin.name)
		result = bulk_queue_config.clear_stuck_jobs()
		self.assertEqual(
			frappe.db.get_value("Verenigingen Monitoring Action", result["action"], "performed_by"),
			admin.name,
		)
