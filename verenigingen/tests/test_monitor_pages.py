"""Monitor page, performance report and /monitoring_dashboard: who may see and do what; their figures."""

import frappe
from frappe.desk import desk_page
from frappe.desk.doctype.number_card import number_card
from frappe.tests.utils import FrappeTestCase

from verenigingen.account_creation import REQUEST, TRACKER
from verenigingen.monitoring import alerts
from verenigingen.tests.factories import make_member, make_staff_user, make_user
from verenigingen.tests.http_session import ApiSession, WebServer, make_user_with_password
from verenigingen.utils import account_creation_manager, bulk_operations_monitor, bulk_retry_processor
from verenigingen.verenigingen.report.bulk_operations_performance_report import (
	bulk_operations_performance_report as report,
)
from verenigingen.www import monitoring_dashboard

PAGE = "bulk-operations-monitor"
ADMIN_ROLE = "Verenigingen Administrator"
MANAGER_ROLE = "Verenigingen Manager"
PASSWORD = "Monitor-Pages-2026!"
# Runs far in the past, so the report's date filter sees only this test's runs.
REPORT_DAY = "2001-02-03"


def make_run(status: str, total: int, successful: int, failed: int, started: str | None, finished: str | None,
	creation: str | None = None) -> str:
	"""A Bulk Operation Tracker with the given figures (no requests behind it)."""
	doc = frappe.get_doc({"doctype": TRACKER, "operation_type": "Account Creation", "status": status,
		"total": total, "processed": successful + failed, "successful": successful, "failed": failed,
		"batch_size": 50, "batches_total": -(-total // 50), "priority": "Low",
		"started_at": started, "finished_at": finished}).insert()
	if creation:
		frappe.db.set_value(TRACKER, doc.name, "creation", creation, update_modified=False)
	return doc.name


def make_failed_request(tracker: str, next_retry_at: str | None) -> str:
	"""A Failed request of the run, waiting for an automatic retry when ``next_retry_at`` is set."""
	return frappe.get_doc({"doctype": REQUEST, "member": make_member().name, "tracker": tracker, "status": "Failed",
		"batch_number": 1, "priority": "Low", "failure_class": "transient", "failure_reason": "Lock wait timeout",
		"attempt_count": 1, "next_retry_at": next_retry_at}).insert().name


class TestMonitorPagePermissions(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_page_opens_for_staff_only(self):
		staff = {role: make_staff_user(role).name for role in ("System Manager", ADMIN_ROLE, MANAGER_ROLE)}
		outsiders = (make_user().name, make_user(roles=(), user_type="System User").name)
		for role, user in staff.items():
			frappe.set_user(user)
			self.assertEqual(desk_page.get(PAGE).name, PAGE, role)
		for user in outsiders:
			frappe.set_user(user)
			self.assertRaises(frappe.PermissionError, desk_page.get, PAGE)

	def test_manager_steers_runs_but_not_the_bench(self):
		frappe.set_user(make_staff_user(MANAGER_ROLE).name)
		data = bulk_operations_monitor.get_monitor_data()
		self.assertFalse(data["can_operate"])  # Clear Stuck Jobs, Acknowledge, Resolve
		self.assertTrue(data["can_control_runs"])  # Cancel Run, Retry Failed, Retry Now, Clear
		for key in ("total_operations", "success_rate", "queue_health", "active_alerts", "last_operations",
			"retry_queue", "backlog"):
			self.assertIn(key, data)

	def test_account_api_and_monitor_agree_on_who_steers_a_run(self):
		"""Each monitor button and the account endpoint behind it refuse and allow the same users."""
		pairs = {
			"cancel": (account_creation_manager.cancel_bulk_operation, bulk_operations_monitor.cancel_run),
			"retry": (bulk_retry_processor.manual_retry_failed_requests, bulk_operations_monitor.retry_run),
			"clear": (bulk_retry_processor.clear_retry_queue, bulk_operations_monitor.clear_run_retries),
		}
		users = {
			"member": (make_user().name, False),
			"desk user": (make_user(roles=(), user_type="System User").name, False),
			"manager": (make_staff_user(MANAGER_ROLE).name, True),
			"administrator": (make_staff_user(ADMIN_ROLE).name, True),
			"system manager": (make_staff_user("System Manager").name, True),
		}
		for who, (user, allowed) in users.items():
			for action, methods in pairs.items():
				for method in methods:
					run = make_run("Processing", 100, 10, 5, "2026-12-01 10:00:00", None)
					frappe.set_user(user)
					with self.subTest(who=who, method=f"{method.__module__}.{method.__name__}"):
						if allowed:
							method(run)
						else:
							self.assertRaises(frappe.PermissionError, method, run)
					frappe.set_user("Administrator")
					if action == "cancel":
						self.assertEqual(frappe.db.get_value(TRACKER, run, "cancel_requested"), int(allowed))

	def test_administrator_cancels_a_run(self):
		run = make_run("Queued", 100, 0, 0, None, None)
		admin = make_staff_user(ADMIN_ROLE)
		frappe.set_user(admin.name)
		self.assertTrue(bulk_operations_monitor.get_monitor_data()["can_operate"])
		result = bulk_operations_monitor.cancel_run(run)
		self.assertEqual(result["name"], run)
		self.assertEqual(frappe.db.get_value(TRACKER, run, "cancel_requested"), 1)

	def test_administrator_retries_and_clears_a_runs_failures(self):
		run = make_run("Completed with Errors", 2, 0, 2, "2026-12-01 10:00:00", "2026-12-01 10:01:00")
		waiting, given_up = (make_failed_request(run, retry_at) for retry_at in ("2030-01-01 00:00:00", None))
		frappe.set_user(make_staff_user(ADMIN_ROLE).name)
		self.assertEqual(bulk_operations_monitor.clear_run_retries(run)["cleared"], 1)
		self.assertIsNone(frappe.db.get_value(REQUEST, waiting, "next_retry_at"))
		self.assertEqual(bulk_operations_monitor.retry_run(run)["retried"], 2)
		self.assertEqual(frappe.get_all(REQUEST, {"name": ("in", [waiting, given_up])}, pluck="status"),
			["Queued", "Queued"])

	def test_outsiders_get_no_data(self):
		for user in ("Guest", make_user().name, make_user(roles=(), user_type="System User").name):
			frappe.set_user(user)
			self.assertRaises(frappe.PermissionError, bulk_operations_monitor.get_monitor_data)

	def test_unknown_figures_stay_unknown(self):
		"""Without finished runs in the window, averages are None (shown as unknown), never 0."""
		frappe.db.delete(TRACKER, {"creation": (">=", "2000-01-01")})
		frappe.set_user(make_staff_user(ADMIN_ROLE).name)
		data = bulk_operations_monitor.get_monitor_data()
		self.assertEqual(data["total_operations"], 0)
		self.assertIsNone(data["success_rate"])
		self.assertIsNone(data["average_rate_per_minute"])
		self.assertIsNone(data["average_completion_minutes"])


class TestWorkspaceCards(FrappeTestCase):
	def test_cards_and_chart_are_synced_and_on_the_workspace(self):
		workspace = frappe.get_doc("Workspace", "Verenigingen")
		cards = [row.number_card_name for row in workspace.number_cards]
		self.assertEqual(cards, ["Bulk Runs in Progress", "Accounts Created Today", "Members Waiting for an Account",
			"Open Alerts"])
		self.assertEqual([row.chart_name for row in workspace.charts], ["Accounts Created per Day"])
		card = frappe.get_doc("Number Card", "Members Waiting for an Account")
		self.assertEqual(number_card.get_result(card, card.filters_json),
			frappe.db.count(REQUEST, {"status": ("in", ("Queued", "Processing"))}))
		self.assertTrue(frappe.db.exists("Dashboard Chart", "Accounts Created per Day"))


class TestPerformanceReport(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def run_report(self, **filters):
		return report.execute(frappe._dict({"from_date": REPORT_DAY, "to_date": REPORT_DAY, **filters}))

	def test_one_row_per_run_a_totals_row_and_the_rate_chart(self):
		day = f"{REPORT_DAY} 09:00:00"
		first = make_run("Completed", 100, 100, 0, f"{REPORT_DAY} 10:00:00", f"{REPORT_DAY} 10:10:00", day)
		second = make_run("Completed with Errors", 60, 50, 10, f"{REPORT_DAY} 11:00:00", f"{REPORT_DAY} 11:20:00",
			day)
		make_run("Completed", 10, 10, 0, "2001-02-05 10:00:00", "2001-02-05 10:01:00", "2001-02-05 09:00:00")
		frappe.set_user(make_staff_user(MANAGER_ROLE).name)
		columns, data, _message, chart = self.run_report()
		by_name = {row["name"]: row for row in data[:-1]}
		self.assertEqual(len(data), 3)  # two runs and the totals row
		self.assertEqual((data[-1]["status"], data[-1]["bold"]), ("Total", 1))
		self.assertEqual(by_name[first]["rate_per_minute"], 10.0)
		self.assertEqual(by_name[first]["duration_minutes"], 10.0)
		self.assertEqual(by_name[second]["success_rate"], 83.3)
		self.assertEqual(by_name[second]["rate_per_minute"], 3.0)
		totals = data[-1]
		self.assertEqual((totals["total"], totals["successful"], totals["failed"]), (160, 150, 10))
		self.assertEqual(totals["success_rate"], 93.8)
		self.assertEqual(totals["rate_per_minute"], round(160 / 30, 1))
		self.assertEqual(totals["batches"], 2 + 2)
		self.assertEqual(chart["data"]["datasets"][0]["values"], [10.0, 3.0])
		self.assertIn("success_rate", [column["fieldname"] for column in columns])

	def test_status_filter(self):
		day = f"{REPORT_DAY} 09:00:00"
		make_run("Completed", 10, 10, 0, f"{REPORT_DAY} 10:00:00", f"{REPORT_DAY} 10:01:00", day)
		cancelled = make_run("Cancelled", 10, 2, 0, f"{REPORT_DAY} 10:00:00", f"{REPORT_DAY} 10:01:00", day)
		_columns, data, _message, _chart = self.run_report(status="Cancelled")
		self.assertEqual([row["name"] for row in data[:-1]], [cancelled])

	def test_member_and_desk_user_are_refused(self):
		for user in (make_user().name, make_user(roles=(), user_type="System User").name):
			frappe.set_user(user)
			self.assertRaises(frappe.PermissionError, self.run_report)


class TestMonitoringDashboard(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.flags.redirect_location = ""
		frappe.db.rollback()

	def test_guest_is_sent_to_login(self):
		frappe.set_user("Guest")
		with self.assertRaises(frappe.Redirect):
			monitoring_dashboard.get_context(frappe._dict())
		self.assertEqual(frappe.local.flags.redirect_location, "/login?redirect-to=/monitoring_dashboard")

	def test_only_admin_roles_see_it(self):
		refused = (make_user().name, make_staff_user(MANAGER_ROLE).name)
		allowed = [make_staff_user(role).name for role in ("System Manager", ADMIN_ROLE)]
		for user in refused:
			frappe.set_user(user)
			self.assertRaises(frappe.PermissionError, monitoring_dashboard.get_context, frappe._dict())
			self.assertRaises(frappe.PermissionError, monitoring_dashboard.get_system_metrics)
		for user in allowed:
			frappe.set_user(user)
			context = frappe._dict()
			monitoring_dashboard.get_context(context)
			self.assertTrue(context.labels["unknown"])

	def test_metrics_have_every_section(self):
		alert = alerts.raise_alert("test_dashboard", "Warning", "dashboard test alert", key="a")
		frappe.set_user(make_staff_user(ADMIN_ROLE).name)
		metrics = monitoring_dashboard.get_system_metrics()
		self.assertEqual(set(metrics), {"system", "error_rates", "queues", "sepa", "alerts", "generated_at"})
		self.assertEqual([row["window"] for row in metrics["error_rates"]], ["hour", "day"])
		self.assertIn("bulk", [row["queue"] for row in metrics["queues"]["queues"]])
		row = next(row for row in metrics["alerts"] if row["name"] == alert)
		self.assertEqual(row["last_seen"], frappe.db.get_value("Verenigingen Alert", alert, "last_seen"))
		self.assertTrue(metrics["sepa"]["available"])

	def test_sepa_counts_by_compliance_status(self):
		frappe.set_user(make_staff_user(ADMIN_ROLE).name)
		expected = {row.compliance_status: row.count for row in frappe.db.sql(
			"select compliance_status, count(*) as count from `tabSEPA Audit Log` group by compliance_status",
			as_dict=True)}
		counts = monitoring_dashboard.get_system_metrics()["sepa"]["counts"]
		self.assertEqual({row["status"]: row["count"] for row in counts}, expected)


class TestMonitoringDashboardOverHttp(FrappeTestCase):
	"""The page as a browser gets it: Guest redirected to login, a member 403, an administrator 200."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.member = make_user_with_password(PASSWORD, roles=("Verenigingen Member",)).name
		cls.admin = make_user_with_password(PASSWORD, roles=(ADMIN_ROLE,), user_type="System User").name
		frappe.db.commit()  # the web server's connection must see the users
		cls.server = WebServer(frappe.local.site).start()

	@classmethod
	def tearDownClass(cls):
		cls.server.stop()
		super().tearDownClass()

	def get(self, session: ApiSession):
		return session.http.get(f"{self.server.url}/monitoring_dashboard", allow_redirects=False, timeout=60)

	def test_guest_member_and_administrator(self):
		guest = self.get(ApiSession(self.server.url))
		self.assertIn(guest.status_code, (301, 302))
		self.assertEqual(guest.headers["Location"], "/login?redirect-to=/monitoring_dashboard")
		self.assertEqual(self.get(ApiSession(self.server.url, self.member, PASSWORD)).status_code, 403)
		admin = ApiSession(self.server.url, self.admin, PASSWORD)
		page = self.get(admin)
		self.assertEqual(page.status_code, 200)
		for section in ("system-health", "error-rates", "queue-status", "sepa-compliance", "active-alerts"):
			self.assertIn(f'id="{section}"', page.text)
		metrics = admin.call("verenigingen.www.monitoring_dashboard.get_system_metrics")
		self.assertEqual(metrics.status_code, 200, metrics.text[:300])
		self.assertEqual(set(metrics.json()["message"]), {"system", "error_rates", "queues", "sepa", "alerts",
			"generated_at"})
