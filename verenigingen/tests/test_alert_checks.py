"""Each alert threshold crossed with real data opens one alert; repeats count; clearing resolves it."""

import contextlib
import threading
import time
from datetime import timedelta

import frappe
import pymysql
from frappe.utils import now_datetime

from verenigingen.monitoring import ALERT
from verenigingen.monitoring import alert_checks as checks
from verenigingen.monitoring.alert_checks import AlertManager
from verenigingen.tests.alert_helpers import (
	AlertTestCase,
	delete_error_logs,
	emails_for,
	open_alerts,
	set_alert_settings,
)
from verenigingen.tests.factories import make_members

# Only a guard against a hang: each wait below ends as soon as the awaited state is there.
WAIT_LIMIT_S = 60


class CheckTestCase(AlertTestCase):
	def assert_one_alert_counted_and_mailed_once(self, alert_type: str, run_check, key: str = "") -> str:
		"""Run the check twice: one open alert, two occurrences, one queued e-mail."""
		run_check()
		run_check()
		rows = open_alerts(alert_type)
		self.assertEqual([(row.alert_key, row.occurrences) for row in rows], [(key, 2)])
		self.assertEqual(emails_for(rows[0].name), 1)
		return rows[0].name

	def assert_resolved(self, name: str) -> None:
		self.assertEqual(
			frappe.db.get_value(ALERT, name, ["status", "resolved_by"]), ("Resolved", "Administrator")
		)


class TestErrorRate(CheckTestCase):
	def test_error_logs_over_the_hourly_threshold(self):
		"""Five more Error Log entries than before reach the threshold; deleting them clears it."""
		before = checks.AlertManager().check_error_rate_alert()["hour"]["count"]
		set_alert_settings(error_log_alert_per_hour=before + 5)
		manager = AlertManager()
		manager.check_error_rate_alert()
		self.assertEqual(open_alerts(checks.ERROR_RATE), [])
		logged = [frappe.log_error(title=f"alert test {n}").name for n in range(5)]
		self.addCleanup(delete_error_logs, logged)
		name = self.assert_one_alert_counted_and_mailed_once(
			checks.ERROR_RATE, manager.check_error_rate_alert, key="hour"
		)
		delete_error_logs(logged)
		manager.check_error_rate_alert()
		self.assert_resolved(name)

	def test_daily_threshold_is_its_own_alert(self):
		"""The day window raises under key "day"; the hour window (off) raises nothing."""
		before = AlertManager().check_error_rate_alert()["day"]["count"]
		set_alert_settings(error_log_alert_per_day=before + 1)
		self.addCleanup(delete_error_logs, [frappe.log_error(title="alert test day").name])
		AlertManager().check_error_rate_alert()
		self.assertEqual([row.alert_key for row in open_alerts(checks.ERROR_RATE)], ["day"])


class SleepingQuery:
	"""``SELECT SLEEP`` on a second connection of the site's database user, in a thread."""

	def __init__(self, seconds: int = 600):
		conf = frappe.conf
		self.connection = pymysql.connect(
			host=conf.db_host or "127.0.0.1",
			port=int(conf.db_port or 3306),
			user=conf.db_user or conf.db_name,
			password=conf.db_password,
			database=conf.db_name,
		)
		self.id = self.connection.thread_id()
		self.thread = threading.Thread(target=self._sleep, args=(seconds,), daemon=True)

	def _sleep(self, seconds: int) -> None:
		with self.connection.cursor() as cursor, contextlib.suppress(pymysql.err.OperationalError):
			# stop() kills the query: MariaDB then reports it as interrupted.
			cursor.execute("SELECT SLEEP(%s)", (seconds,))

	def start(self, at_least_seconds: int) -> "SleepingQuery":
		"""Start sleeping; return once the PROCESSLIST shows it running for ``at_least_seconds``."""
		self.thread.start()
		self._wait(lambda: (self.running_for() or 0) >= at_least_seconds)
		return self

	def running_for(self) -> int | None:
		rows = frappe.db.sql("select TIME from information_schema.PROCESSLIST where ID = %s", self.id)
		return rows[0][0] if rows and rows[0][0] is not None else None

	def stop(self) -> None:
		"""Kill the query (SLEEP returns at once) and close the connection."""
		if self.thread.is_alive():
			frappe.db.sql("KILL QUERY %s", self.id)
			self.thread.join(WAIT_LIMIT_S)
		if self.connection.open:
			self.connection.close()

	def _wait(self, condition) -> None:
		deadline = time.monotonic() + WAIT_LIMIT_S
		while not condition():
			if time.monotonic() > deadline:
				raise AssertionError("the sleeping query never showed up in the PROCESSLIST")
			time.sleep(0.2)


class TestSlowQueries(CheckTestCase):
	def test_long_running_query_opens_and_its_end_resolves(self):
		"""A SLEEP on another connection past the threshold is seen; killed, the alert resolves."""
		set_alert_settings(slow_query_seconds=1)
		sleeper = SleepingQuery().start(at_least_seconds=1)
		self.addCleanup(sleeper.stop)
		manager = AlertManager()
		name = self.assert_one_alert_counted_and_mailed_once(checks.SLOW_QUERY, manager.check_slow_queries)
		context = frappe.parse_json(frappe.db.get_value(ALERT, name, "context"))
		self.assertIn(sleeper.id, [row["id"] for row in context["queries"]])
		sleeper.stop()
		self.assertEqual(manager.check_slow_queries()["slow"], 0)
		self.assert_resolved(name)

	def test_own_connection_and_idle_connections_are_not_slow(self):
		"""An idle connection and the checking connection itself are never reported, even at 0 s."""
		idle = SleepingQuery()
		self.addCleanup(idle.stop)
		own = frappe.db.sql("select connection_id()")[0][0]
		ids = [row["id"] for row in checks.running_queries(0)]
		self.assertNotIn(idle.id, ids)
		self.assertNotIn(own, ids)


class TestSepaFailures(CheckTestCase):
	def test_failed_audit_rows_in_the_last_hour(self):
		"""One failed SEPA event reaches the threshold; once it is older than an hour, the alert resolves."""
		if not checks.sepa_audit_available():
			self.skipTest("SEPA Audit Log DocType is not installed: the check counts 0 (not tested here)")
		from verenigingen.sepa.audit import record_event

		before = AlertManager().check_sepa_failures()["count"]
		set_alert_settings(sepa_failure_alert_per_hour=before + 1)
		event = record_event(
			"Batch Generation", "alert test", "Failed", details={"iban": "NL91ABNA0417164300"}
		)
		manager = AlertManager()
		name = self.assert_one_alert_counted_and_mailed_once(
			checks.SEPA_FAILURES, manager.check_sepa_failures
		)
		self.assertEqual(frappe.db.get_value(ALERT, name, "severity"), "Critical")
		count = before + 1
		self.assertEqual(frappe.db.get_value(ALERT, name, "message"),
			f"1 failed SEPA event in the last hour (alert at {count})" if count == 1
			else f"{count} failed SEPA events in the last hour (alert at {count})")
		# The row cannot be changed through the ORM (append-only); age it in the table itself.
		frappe.db.set_value(checks.SEPA_AUDIT_LOG, event, "timestamp", now_datetime() - timedelta(hours=2))
		manager.check_sepa_failures()
		self.assert_resolved(name)


class TestMemberChurn(CheckTestCase):
	def test_terminations_over_the_daily_threshold(self):
		"""Three members terminated through the document reach the threshold; reinstated, it clears."""
		members = [frappe.get_doc("Member", name) for name in make_members(3)]
		before = AlertManager().check_member_churn()["count"]
		set_alert_settings(churn_alert_per_day=before + 3)
		for member in members:
			set_member_status(member, "Terminated")
		manager = AlertManager()
		name = self.assert_one_alert_counted_and_mailed_once(checks.MEMBER_CHURN, manager.check_member_churn)
		self.assertEqual(manager.check_member_churn()["count"], before + 3)
		set_member_status(members[0], "Active")
		self.assertEqual(manager.check_member_churn()["count"], before + 2)
		self.assert_resolved(name)


def set_member_status(member, status: str) -> None:
	"""Save as Desk does: with a Version (tests skip versions unless asked)."""
	member.status = status
	member.save(ignore_version=False)
