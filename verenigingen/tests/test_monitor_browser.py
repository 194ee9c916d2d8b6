"""The Bulk Operations Monitor, the performance report and /monitoring_dashboard in headless Chromium.

A real bench: `frappe serve` (DEV_SERVER=1, so Desk connects to the realtime server), Frappe's
socketio server, two `bulk` workers. Runs are held at known members by Member row locks
(blocking.py), so every moment the test looks at happens by construction. Any JavaScript error
in the browser console fails the test. Its screenshots go to /tmp/verenigingen-screenshots/.
"""

import os
import re
import unittest
from pathlib import Path
from unittest.mock import patch

import frappe
import requests
from frappe.tests.utils import FrappeTestCase
from frappe.utils import today

from verenigingen.account_creation import REQUEST
from verenigingen.account_creation.jobs import trackers_with_running_jobs, trackers_with_waiting_jobs
from verenigingen.account_creation.tracker import refresh_tracker
from verenigingen.monitoring import ALERT, alerts
from verenigingen.monitoring.resources import CPU_SAMPLE_KEY
from verenigingen.tests.blocking import hold_member_locks, requests_of_members, wait_until_processing
from verenigingen.tests.desk_boot import desk_hit_frappe_template_keyword
from verenigingen.tests.factories import make_member, make_members, make_staff_user, unique_suffix
from verenigingen.tests.http_session import make_user_with_password
from verenigingen.tests.socketio_server import SocketIOServer
from verenigingen.tests.test_member_import_browser import (
	CHROMIUM,
	CHROMIUM_ARGS,
	WebServer,
	browser_missing,
	mark_setup_complete,
)
from verenigingen.tests.workers import BulkWorkers, wait_for_tracker

PASSWORD = "Monitor-Browser-2026!"
STEP_MS = 60_000
MONITOR = "/app/bulk-operations-monitor"
REPORT = "/app/query-report/Bulk Operations Performance Report"
QUEUE_BULK = "verenigingen.utils.account_creation_manager.queue_bulk_account_creation_for_members"
# the README's pictures come from the demo site (scripts/demo_screenshots.py), not from test data
IMAGES = Path("/tmp/verenigingen-screenshots")
BATCH = 50
HELD_AT = 10  # each batch is held at its 11th member: 10 accounts per batch are made first


def session_id(base_url: str, user: str) -> str:
	"""Log in over HTTP and return the session id (the browser takes it as ?sid=)."""
	response = requests.post(f"{base_url}/api/method/login", data={"usr": user, "pwd": PASSWORD}, timeout=60)
	response.raise_for_status()
	return response.cookies["sid"]


@unittest.skipIf(browser_missing(), f"BROWSER TEST SKIPPED: {browser_missing()}")
class TestMonitorInBrowser(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		from playwright.sync_api import expect, sync_playwright

		super().setUpClass()
		expect.set_options(timeout=STEP_MS)  # workers and realtime set the pace, not the default 5 s
		mark_setup_complete()
		cls.admin = make_user_with_password(PASSWORD, ("Verenigingen Administrator",), "System User").name
		cls.member = make_user_with_password(PASSWORD, ("Verenigingen Member",)).name
		frappe.db.commit()  # the web server and workers must see them
		cls.socketio = SocketIOServer().start()
		# DEV_SERVER: Desk then connects to the socketio port. The server is threaded, as `bench start`
		# runs it: Clear Stuck Jobs must work from a request thread too (monitoring/stuck_jobs.py).
		with patch.dict(os.environ, {"DEV_SERVER": "1"}):
			cls.server = WebServer(frappe.local.site).start()
		cls.base_url = f"http://{frappe.local.site}:{cls.server.port}"
		cls.workers = BulkWorkers(2).start()
		cls.playwright = sync_playwright().start()
		cls.browser = cls.playwright.chromium.launch(
			executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP *.localhost 127.0.0.1"]
		)

	@classmethod
	def tearDownClass(cls):
		cls.browser.close()
		cls.playwright.stop()
		cls.workers.stop()
		cls.server.stop()
		cls.socketio.stop()
		frappe.db.set_value("User", cls.admin, "language", None)
		frappe.db.commit()
		super().tearDownClass()

	def setUp(self):
		self.console_errors = []
		self.console = []  # every message, of every type: what led up to an error is in the failure
		self.contexts = []

	def tearDown(self):
		for context in self.contexts:
			context.close()
		self.assertEqual(self.console_errors, [], "JavaScript errors in the browser console; the console:\n"
			+ "\n".join(self.console[-40:]))

	# --- helpers ------------------------------------------------------------------

	def open_page(self, path: str, user: str | None = None, watch_console: bool = True):
		"""A fresh browser context logged in as ``user`` (Guest when None) on ``path``.

		A Desk that did not start because Frappe's template compiler drew a keyword is loaded again,
		once, in a fresh context (desk_boot.py); its console errors are not ours.
		"""
		for attempt in (1, 2):
			errors_before = len(self.console_errors)
			page, response = self.load_page(path, user, watch_console)
			if attempt == 1 and path.startswith("/app/") and desk_hit_frappe_template_keyword(page):
				del self.console_errors[errors_before:]
				self.console.append("Desk did not start: a loop counter of Frappe's template was a keyword; again")
				continue
			return page, response

	def load_page(self, path: str, user: str | None, watch_console: bool):
		context = self.browser.new_context(viewport={"width": 1400, "height": 1100})
		self.contexts.append(context)
		page = context.new_page()
		page.set_default_timeout(STEP_MS)
		page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"[:2000]))
		page.on("pageerror", lambda error: self.console.append(f"pageerror: {error.stack or error}"[:2000]))
		if watch_console:
			page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
			page.on("pageerror", lambda error: self.console_errors.append(str(error)))
		separator = "&" if "?" in path else "?"
		login = f"{separator}sid={session_id(self.server.url, user)}" if user else ""
		response = page.goto(f"{self.base_url}{path}{login}")
		return page, response

	def open_monitor(self, user: str | None = None):
		page, _response = self.open_page(MONITOR, user or self.admin)
		page.locator(".bulk-operations-monitor[data-loaded-at]").wait_for()
		page.wait_for_function("() => frappe.realtime.socket && frappe.realtime.socket.connected")
		page.evaluate("window.__not_reloaded = true")
		return page

	def queue_run(self, page, names: list[str]) -> str:
		"""Start a run from the page's own session, as a button would."""
		summary = page.evaluate(
			"([method, names, size]) => frappe.xcall(method, {member_names: names, batch_size: size})",
			[QUEUE_BULK, names, BATCH],
		)
		self.assertEqual(summary["queued"], len(names), summary)
		return summary["tracker"]

	def confirm(self, page) -> None:
		page.locator(".modal.show").get_by_role("button", name="Yes").click()

	def expect_alert(self, page, text: str) -> None:
		from playwright.sync_api import expect

		expect(page.locator(".alert-message").filter(has_text=text)).to_be_visible()

	def screenshot(self, page, name: str) -> None:
		IMAGES.mkdir(parents=True, exist_ok=True)
		page.screenshot(path=str(IMAGES / name), full_page=True)

	def request_counts(self, tracker: str) -> dict[str, int]:
		frappe.db.rollback()  # see the workers' commits
		rows = frappe.get_all(REQUEST, filters={"tracker": tracker}, fields=["status", "count(*) as n"],
			group_by="status")
		return {row.status: row.n for row in rows}

	# --- tests (numbered: the kill test restarts the workers the others share) ------

	def test_1_run_moves_live_and_is_cancelled(self):
		from playwright.sync_api import expect

		names = make_members(6 * BATCH)
		frappe.db.commit()  # the lock connection and the workers must see the members
		held = [names[batch * BATCH + HELD_AT] for batch in range(6)]
		page = self.open_monitor()
		with hold_member_locks(held):
			tracker = self.queue_run(page, names)
			run = page.locator(f'[data-run="{tracker}"]')
			expect(run).to_be_visible()  # the new run arrives through list_update, no reload
			# Two workers, each held at the 11th member of its batch: exactly 20 accounts exist.
			wait_until_processing(requests_of_members(held[:2]))
			self.assertEqual(self.request_counts(tracker).get("Completed"), 2 * HELD_AT)
			refresh_tracker(tracker)  # the workers' last live refresh may have been skipped (1 s)
			expect(run.locator('[data-field="counts"]')).to_contain_text("20 of 300 processed")
			expect(run.locator(".progress-bar")).to_have_attribute("aria-valuenow", "6.7")
			self.screenshot(page, "bulk-operations-monitor.png")

			run.get_by_role("button", name="Cancel Run").click()
			self.confirm(page)
			expect(page.locator(".alert-message")).to_contain_text(f"Run {tracker}:")
		# Released: the two held accounts finish; everything not started was cancelled.
		expect(run.locator('[data-field="status"]')).to_have_text("Cancelled", timeout=STEP_MS)
		self.assertEqual(self.request_counts(tracker), {"Completed": 22, "Cancelled": 278})
		expect(run.locator('[data-field="counts"]')).to_contain_text("22 successful")
		self.assertTrue(page.evaluate("window.__not_reloaded"))

	def test_2_killed_workers_cleared_and_run_completes(self):
		from playwright.sync_api import expect

		names = make_members(2 * BATCH)
		frappe.db.commit()
		held = [names[HELD_AT], names[BATCH + HELD_AT]]
		page = self.open_monitor()
		with hold_member_locks(held):
			tracker = self.queue_run(page, names)
			wait_until_processing(requests_of_members(held))
			self.workers.kill()  # both die while held, by construction mid-batch
		page.get_by_role("button", name="Clear Stuck Jobs").click()
		self.confirm(page)
		message = page.locator(".modal.show .msgprint")
		expect(message).to_contain_text("2 requests queued again")
		page.locator(".modal.show .btn-modal-close").first.click()
		type(self).workers = BulkWorkers(2).start()
		doc = wait_for_tracker(tracker)
		self.assertEqual((doc.status, doc.successful, doc.failed), ("Completed", 100, 0))
		self.assertEqual(frappe.db.count("Member", {"name": ("in", names), "user": ("is", "set")}), 100)
		run = page.locator(f'[data-run="{tracker}"]')
		expect(run.locator('[data-field="status"]')).to_have_text("Completed")
		expect(run.locator('[data-field="counts"]')).to_contain_text("100 of 100 processed")
		expect(run.locator('[data-field="counts"]')).to_contain_text("100 successful")

	def test_3_acknowledged_alert_leaves_the_active_list(self):
		from playwright.sync_api import expect

		name = alerts.raise_alert("browser_test", "Warning", "Browser test alert", key=unique_suffix())
		frappe.db.commit()
		page = self.open_monitor()
		active = page.locator(f'[data-section="alerts"] [data-alert="{name}"]')
		active.get_by_role("button", name="Acknowledge").click()
		self.confirm(page)
		expect(active).to_have_count(0)
		expect(page.locator(f'[data-section="acknowledged"] [data-alert="{name}"]')).to_be_visible()
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value(ALERT, name, ["status", "acknowledged_by"]),
			("Acknowledged", self.admin))

	def test_3b_failed_requests_cleared_and_retried_from_the_page(self):
		"""Clear stops a run's automatic retries; Retry Failed runs its failures again on the workers."""
		from playwright.sync_api import expect

		names = make_members(12)
		# Three members whose email belongs to a System User: the run refuses them (permanent failure).
		refused = [make_member(email=make_staff_user().name).name for _ in range(3)]
		frappe.db.commit()
		page = self.open_monitor()
		tracker = self.queue_run(page, names + refused)
		doc = wait_for_tracker(tracker)
		self.assertEqual((doc.status, doc.successful, doc.failed), ("Completed with Errors", 12, 3))
		# As if the three waited for an automatic retry (only transient failures do; the scene is set).
		frappe.db.set_value(REQUEST, {"tracker": tracker, "status": "Failed"}, "next_retry_at", "2099-01-01")
		refresh_tracker(tracker)
		frappe.db.commit()
		page.evaluate("() => frappe.bulk_operations_monitor.refresh()")
		waiting = page.locator(f'[data-section="retry"] [data-retry="{tracker}"]')
		expect(waiting.locator("td").nth(1)).to_have_text("3")

		waiting.get_by_role("button", name="Clear").click()
		self.confirm(page)
		self.expect_alert(page, f"3 retries of run {tracker} cleared")
		expect(waiting).to_have_count(0)
		self.assertEqual(self.request_counts(tracker), {"Completed": 12, "Failed": 3})
		self.assertEqual(frappe.db.count(REQUEST, {"tracker": tracker, "next_retry_at": ("is", "set")}), 0)

		# The operator fixes the data (own addresses for the three), then retries from the page.
		for name in refused:
			frappe.db.set_value("Member", name, "email", f"fixed.{unique_suffix()}@example.nl")
		frappe.db.commit()
		run = page.locator(f'[data-run="{tracker}"]')
		run.get_by_role("button", name="Retry Failed").click()
		self.confirm(page)
		self.expect_alert(page, f"3 requests of run {tracker} queued again")
		doc = wait_for_tracker(tracker, until=lambda d: d.status == "Completed")
		self.assertEqual((doc.successful, doc.failed), (15, 0))
		self.assertEqual(self.request_counts(tracker), {"Completed": 15})
		expect(run.locator('[data-field="status"]')).to_have_text("Completed")
		expect(run.locator('[data-field="counts"]')).to_contain_text("15 successful")
		expect(run.get_by_role("button", name="Retry Failed")).to_have_count(0)

	def test_4_report_totals_and_chart_match_the_trackers(self):
		from playwright.sync_api import expect

		day = today()
		# The figures must hold still while the report and the test read them: wait for the runs that
		# still have a job queued or running (an open run without one, left by another test, cannot move).
		frappe.db.rollback()
		for tracker in trackers_with_waiting_jobs() | trackers_with_running_jobs():
			wait_for_tracker(tracker)
		page, _response = self.open_page(f"{REPORT}?from_date={day}&to_date={day}", self.admin)
		page.wait_for_function("() => (frappe.query_report?.data || []).some((row) => row.bold)")
		# The datatable renders only the rows in view: a day of many runs puts the totals row below. It
		# renders them after a scroll, and its height grows while it does: scroll until the row is there.
		page.wait_for_function(
			"""() => {
				const table = document.querySelector('.dt-scrollable');
				if (!table) return false;
				table.scrollTop = table.scrollHeight;
				return [...table.querySelectorAll('.dt-row')].some((row) => row.textContent.includes('Total'));
			}""",
			timeout=60000,
		)
		expect(page.locator(".dt-scrollable .dt-row").filter(has_text="Total").first).to_be_visible()
		expect(page.locator(".chart-wrapper svg").first).to_be_visible()
		totals = page.evaluate("() => frappe.query_report.data.find((row) => row.bold)")
		frappe.db.rollback()
		expected = frappe.db.sql(
			"""select count(*) as runs, sum(total) as total, sum(successful) as successful, sum(failed) as failed
			from `tabBulk Operation Tracker` where date(creation) = %(day)s""",
			{"day": day}, as_dict=True,
		)[0]
		self.assertGreaterEqual(expected.runs, 1)
		self.assertEqual((totals["total"], totals["successful"], totals["failed"]),
			(int(expected.total), int(expected.successful), int(expected.failed)))
		self.assertEqual(page.evaluate("() => frappe.query_report.data.length"), expected.runs + 1)

	def test_5_monitoring_dashboard_for_admin_only(self):
		from playwright.sync_api import expect

		frappe.cache.delete_value(CPU_SAMPLE_KEY)  # a first load: no CPU sample kept from before
		page, response = self.open_page("/monitoring_dashboard", self.admin)
		self.assertEqual(response.status, 200)
		expect(page.locator("#monitoring-updated")).to_contain_text("Updated")
		for section in ("error-rates", "queue-status", "sepa-compliance", "active-alerts"):
			expect(page.locator(f"#{section} tbody tr").first).to_be_visible()
		# CPU is a measured figure on the first load too (two samples when none is kept), never "unknown".
		expect(page.locator('#system-health [data-figure="cpu"]')).to_have_text(re.compile(r"^\d+(\.\d+)? %$"))
		expect(page.locator("#active-alerts")).not_to_contain_text("undefined")
		metrics = page.evaluate(
			"() => fetch('/api/method/verenigingen.www.monitoring_dashboard.get_system_metrics')"
			".then((r) => r.json())"
		)["message"]
		self.assertTrue(all(alert["last_seen"] for alert in metrics["alerts"]), metrics["alerts"])
		self.screenshot(page, "monitoring-dashboard.png")
		# Refusals: the browser logs the 403 itself, which is no script error of ours.
		page, response = self.open_page("/monitoring_dashboard", self.member, watch_console=False)
		self.assertEqual(response.status, 403)
		page, response = self.open_page("/monitoring_dashboard", None, watch_console=False)
		self.assertIn("/login?redirect-to=", page.url)
		self.assertIn("monitoring_dashboard", page.url)

	def test_6_pages_in_dutch(self):
		from playwright.sync_api import expect

		frappe.db.set_value("User", self.admin, "language", "nl")
		frappe.db.commit()
		frappe.clear_cache(user=self.admin)
		page = self.open_monitor()
		expect(page.locator(".page-title")).to_contain_text("Bulkbewerkingen-monitor")
		expect(page.locator('[data-section="runs"] h5')).to_have_text("Recente bewerkingen")
		expect(page.locator('[data-section="queue"] h5')).to_have_text("Gezondheid van de wachtrij")
		page, _response = self.open_page("/monitoring_dashboard", self.admin)
		expect(page.locator("#system-health h3")).to_have_text("Systeemgezondheid")
		expect(page.locator("#monitoring-updated")).to_contain_text("Bijgewerkt")
		day = today()
		page, _response = self.open_page(f"{REPORT}?from_date={day}&to_date={day}", self.admin)
		expect(page.locator(".dt-header").first).to_contain_text("Accounts per minuut")
