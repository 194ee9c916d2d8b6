"""bench --site S verenigingen-status [--json]: a subprocess on states this test commits (and removes).

The bulk-worker decision itself is tested site-free (tests/test_operator_status.py, the worker count
injected). Here the command must agree with the live worker list it shares the bench with: other
sessions may run bulk workers, so the test reads rq's registry around the command and asserts the
branch that list calls for, never starting or stopping a worker itself.
"""

import json
import subprocess
from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_bench_path, now_datetime
from frappe.utils.background_jobs import get_queue
from rq import Worker

from verenigingen.account_creation import REQUEST, TRACKER
from verenigingen.account_creation.requests import create_request
from verenigingen.core.operator_status import CRITICAL_ALERT, NO_BULK_WORKER
from verenigingen.monitoring import ALERT
from verenigingen.monitoring.alerts import raise_alert
from verenigingen.permissions import MEMBER_ROLE
from verenigingen.tests.factories import make_member

SCHEMA_KEYS = {
	"schema", "site", "checked_at", "time_zone", "exit_code", "problems", "runs", "members_waiting",
	"bulk_workers_alive", "queues", "critical_alerts", "alerts", "last_import",
}
RUN_KEYS = {
	"name", "operation_type", "status", "total", "processed", "successful", "failed", "started_at",
	"source_import", "percent", "rate_per_minute", "remaining", "eta",
}
ALERT_TYPE = "verenigingen_status_test"


def bench_status(*args):
	return subprocess.run(
		["bench", "--site", frappe.local.site, "verenigingen-status", *args],
		cwd=get_bench_path(),
		capture_output=True,
		text=True,
		timeout=180,
		check=False,
	)


def live_bulk_workers() -> int:
	"""Bulk workers registered for this bench whose heartbeat rq has not expired (another session's too)."""
	return len(Worker.all(queue=get_queue("bulk")))


def open_critical_alerts() -> int:
	return frappe.db.count(ALERT, {"status": ("in", ("Open", "Acknowledged")), "severity": "Critical"})


class TestStatusCommand(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.trackers, self.members, self.alerts = [], [], []

	def tearDown(self):
		frappe.db.rollback()
		for name in self.members:
			frappe.db.delete(REQUEST, {"member": name})
			frappe.db.delete("Member", {"name": name})
		for name in self.trackers:
			frappe.db.delete(TRACKER, {"name": name})
		for name in self.alerts:
			frappe.db.delete(ALERT, {"name": name})
		frappe.db.commit()

	def run_json(self):
		result = bench_status("--json")
		self.assertNotIn(result.returncode, (1, 2), result.stderr)
		status = json.loads(result.stdout)
		self.assertEqual(result.returncode, status["exit_code"], "the exit code is the JSON's")
		return status

	def make_run(self, **values):
		tracker = frappe.get_doc(
			{
				"doctype": TRACKER,
				"operation_type": "Account Creation",
				"status": "Processing",
				"total": 100,
				"processed": 40,
				"successful": 38,
				"failed": 2,
				"started_at": now_datetime() - timedelta(minutes=4),
				**values,
			}
		).insert()
		self.trackers.append(tracker.name)
		return tracker.name

	def waiting_request(self) -> str:
		"""One Queued request without a job: a member waits, and no worker can pick it up by accident."""
		member = make_member()
		self.members.append(member.name)
		create_request(member.name, [MEMBER_ROLE], None, "Normal")
		return member.name

	def test_json_is_the_documented_schema_with_the_run_built_here(self):
		name = self.make_run()
		frappe.db.commit()
		status = self.run_json()
		self.assertEqual(set(status), SCHEMA_KEYS)
		self.assertEqual((status["schema"], status["site"]), (1, frappe.local.site))
		[run] = [run for run in status["runs"] if run["name"] == name]
		self.assertEqual(set(run), RUN_KEYS)
		self.assertEqual((run["percent"], run["remaining"], run["processed"]), (40.0, 60, 40))
		# 40 in the 4 minutes before the command read the clock a few seconds later
		self.assertTrue(9.0 <= run["rate_per_minute"] <= 10.0, run["rate_per_minute"])
		self.assertIsNotNone(run["eta"])

	def test_paused_and_finished_runs(self):
		paused = self.make_run(status="Paused", paused_at=now_datetime() - timedelta(minutes=1))
		finished = self.make_run(status="Completed", processed=100, successful=100, failed=0)
		frappe.db.commit()
		runs = {run["name"]: run for run in self.run_json()["runs"]}
		self.assertNotIn(finished, runs)
		self.assertEqual((runs[paused]["status"], runs[paused]["eta"]), ("Paused", None))

	def test_critical_alert_sets_exit_bit_8_until_it_is_resolved(self):
		self.alerts.append(raise_alert(ALERT_TYPE, "Critical", "status command test"))
		frappe.db.commit()
		status = self.run_json()
		self.assertTrue(status["exit_code"] & CRITICAL_ALERT)
		self.assertIn("critical_alert", [problem["code"] for problem in status["problems"]])
		self.assertIn(self.alerts[0], [alert["name"] for alert in status["alerts"]])
		frappe.db.delete(ALERT, {"name": self.alerts[0]})
		frappe.db.commit()
		status = self.run_json()
		# other tests' Critical alerts may still be open: the bit follows the site's count
		self.assertEqual(bool(status["exit_code"] & CRITICAL_ALERT), open_critical_alerts() > 0)

	def test_waiting_members_without_bulk_worker_agrees_with_the_live_worker_list(self):
		self.waiting_request()
		frappe.db.commit()
		before = live_bulk_workers()
		status = self.run_json()
		after = live_bulk_workers()
		if before != after:
			self.skipTest(f"bulk workers changed during the command ({before} -> {after}): inconclusive")
		self.assertGreaterEqual(status["members_waiting"], 1)
		no_worker = bool(status["exit_code"] & NO_BULK_WORKER)
		self.assertEqual(no_worker, status["bulk_workers_alive"] == 0)
		if before == 0:
			self.assertTrue(no_worker, "a member waits and rq lists no bulk worker: exit bit 4")
		self.assertEqual(status["queues"]["bulk"]["workers"], before)

	def test_text_in_dutch_ends_with_the_verdict(self):
		result = bench_status("--lang", "nl")
		self.assertNotIn(result.returncode, (1, 2), result.stderr)
		self.assertIn("Verenigingen-status van", result.stdout)
		last = result.stdout.strip().splitlines()
		verdict = [line for line in last if line.startswith(("Niets vraagt", "Vraagt om een beheerder"))]
		self.assertEqual(len(verdict), 1, result.stdout)
		self.assertIn(f"({result.returncode})", verdict[0].replace("exitcode ", ""))
