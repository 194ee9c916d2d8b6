"""The app's alert checks: each measures one condition, raises its alert or resolves it when clear.

Thresholds come from Verenigingen Settings (section Alerts); a threshold of 0 switches a check off
and resolves what it had raised. Every check returns the figures it measured.
"""

from datetime import timedelta

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import now_datetime

from verenigingen.core import alert_rules
from verenigingen.monitoring.alert_settings import alert_setting
from verenigingen.monitoring.alerts import raise_alert, resolve_cleared, run_checks

ERROR_RATE = "error_log_rate"
SLOW_QUERY = "slow_query"
SEPA_FAILURES = "sepa_failures"
MEMBER_CHURN = "member_churn"
SEPA_AUDIT_LOG = "SEPA Audit Log"
# (window key, length, setting holding its threshold)
ERROR_WINDOWS = (
	("hour", timedelta(hours=1), "error_log_alert_per_hour"),
	("day", timedelta(days=1), "error_log_alert_per_day"),
)
TOP_ROWS = 5


class AlertManager:
	"""The alert checks behind ``verenigingen.utils.alert_manager`` (scheduler and ``bench execute``)."""

	def send_alert(
		self, alert_type: str, severity: str, message: str, context: dict | None = None, key: str = ""
	) -> str:
		"""Raise (or count again) an alert; ``severity`` as LOW, MEDIUM, HIGH, CRITICAL or Info, Warning,
		High, Critical in any case (``verenigingen.monitoring.alerts.raise_alert``)."""
		return raise_alert(alert_type, severity, message, context, key)

	def check_error_rate_alert(self) -> dict:
		"""Error Log entries in the last hour and the last day against their thresholds."""
		now, active, figures = now_datetime(), [], {}
		for key, span, setting in ERROR_WINDOWS:
			since, threshold = now - span, alert_setting(setting)
			count = frappe.db.count("Error Log", recent(since))
			figures[key] = {"count": count, "threshold": threshold}
			if alert_rules.threshold_crossed(count, threshold):
				active.append(key)
				message = _("{0} Error Log entries in the last {1} (alert at {2})").format(
					count, _(key), threshold
				)
				context = {**figures[key], "window": key, "top_errors": top_error_titles(since)}
				self.send_alert(
					ERROR_RATE, alert_rules.severity_for_count(count, threshold), message, context, key
				)
		resolve_cleared(ERROR_RATE, active)
		return figures

	def check_slow_queries(self) -> dict:
		"""This site's database queries running at least the threshold, read from the PROCESSLIST."""
		threshold = alert_setting("slow_query_seconds")
		rows = running_queries(threshold) if threshold else []
		if rows:
			longest = rows[0]["seconds"]
			message = _("{0} database queries running for {1} s or more; the longest for {2} s").format(
				len(rows), threshold, longest
			)
			context = {"threshold_seconds": threshold, "queries": rows[:TOP_ROWS]}
			self.send_alert(SLOW_QUERY, alert_rules.severity_for_count(longest, threshold), message, context)
		resolve_cleared(SLOW_QUERY, [""] if rows else [])
		return {"threshold_seconds": threshold, "slow": len(rows)}

	def check_sepa_failures(self) -> dict:
		"""SEPA Audit Log rows with compliance status Failed in the last hour (0 without the DocType)."""
		threshold = alert_setting("sepa_failure_alert_per_hour")
		available = sepa_audit_available()
		count = count_sepa_failures(now_datetime() - timedelta(hours=1)) if available else 0
		crossed = alert_rules.threshold_crossed(count, threshold)
		if crossed:
			message = (_("1 failed SEPA event in the last hour (alert at {0})").format(threshold) if count == 1
				else _("{0} failed SEPA events in the last hour (alert at {1})").format(count, threshold))
			self.send_alert(SEPA_FAILURES, "Critical", message, {"count": count, "threshold": threshold})
		resolve_cleared(SEPA_FAILURES, [""] if crossed else [])
		return {"count": count, "threshold": threshold, "sepa_audit_log": available}

	def check_member_churn(self) -> dict:
		"""Members whose status changed to Terminated in the last 24 hours (from their version history)."""
		threshold = alert_setting("churn_alert_per_day")
		count = count_terminations(now_datetime() - timedelta(days=1))
		crossed = alert_rules.threshold_crossed(count, threshold)
		if crossed:
			message = _("{0} members terminated in the last 24 hours (alert at {1})").format(count, threshold)
			severity = alert_rules.severity_for_count(count, threshold)
			self.send_alert(MEMBER_CHURN, severity, message, {"count": count, "threshold": threshold})
		resolve_cleared(MEMBER_CHURN, [""] if crossed else [])
		return {"count": count, "threshold": threshold}

	def run_hourly_checks(self) -> dict[str, dict]:
		"""Error rate, slow queries and SEPA failures; one failing check never stops the others."""
		return run_checks(
			{
				"AlertManager.check_error_rate_alert": self.check_error_rate_alert,
				"AlertManager.check_slow_queries": self.check_slow_queries,
				"AlertManager.check_sepa_failures": self.check_sepa_failures,
			}
		)

	def run_daily_checks(self) -> dict[str, dict]:
		"""Member churn over the last day."""
		return run_checks({"AlertManager.check_member_churn": self.check_member_churn})


def recent(since) -> dict:
	"""Rows created since ``since``. Error Log and Version index ``modified``, not ``creation``; a row's
	``modified`` is never before its ``creation``, so the extra condition only lets the index narrow it."""
	return {"modified": (">=", since), "creation": (">=", since)}


def top_error_titles(since) -> list[dict]:
	"""The most frequent Error Log titles since ``since`` (masked: titles may quote user input)."""
	log = frappe.qb.DocType("Error Log")
	rows = (
		frappe.qb.from_(log)
		.select(log.method, Count("*").as_("count"))
		.where((log.modified >= since) & (log.creation >= since))
		.groupby(log.method)
		.orderby(Count("*"), order=frappe.qb.desc)
		.limit(TOP_ROWS)
		.run(as_dict=True)
	)
	return [{"title": alert_rules.mask_text(row.method or "", 140), "count": row.count} for row in rows]


def running_queries(threshold_seconds: int) -> list[dict]:
	"""Statements of this site's database running at least ``threshold_seconds``, longest first.

	Without the PROCESS privilege (Frappe's site users have none) MariaDB shows only the threads of
	the site's own database user, which are exactly this site's queries; ``DB = DATABASE()`` keeps
	other sites out where the privilege exists. Our own connection and idle ones are left out.
	"""
	rows = frappe.db.sql(
		"""select ID as id, TIME as seconds, COMMAND as command, STATE as state, INFO as query
		from information_schema.PROCESSLIST
		where COMMAND not in ('Sleep', 'Daemon', 'Binlog Dump') and ID != CONNECTION_ID()
			and DB = DATABASE() and TIME >= %(threshold)s
		order by TIME desc""",
		{"threshold": threshold_seconds},
		as_dict=True,
	)
	return [{**row, "query": alert_rules.mask_text(row.query or "", 300)} for row in rows]


def sepa_audit_available() -> bool:
	"""The SEPA Audit Log table exists and has its compliance status (the SEPA module is installed)."""
	return frappe.db.table_exists(SEPA_AUDIT_LOG) and frappe.db.has_column(
		SEPA_AUDIT_LOG, "compliance_status"
	)


def count_sepa_failures(since) -> int:
	"""Failed SEPA Audit Log rows since ``since``, by the event's own timestamp where it has one."""
	when = "timestamp" if frappe.db.has_column(SEPA_AUDIT_LOG, "timestamp") else "creation"
	return frappe.db.count(SEPA_AUDIT_LOG, {"compliance_status": "Failed", when: (">=", since)})


def count_terminations(since) -> int:
	"""Members whose saved status went to Terminated since ``since`` and still is, each once.

	Member has no termination date; its version history (track_changes) records when the status
	changed when it was saved through the document (Desk, the Mijnrood import); a member
	reinstated since is not counted. A status written straight into the database leaves no
	version and is not seen.
	"""
	version = frappe.qb.DocType("Version")
	rows = (
		frappe.qb.from_(version)
		.select(version.docname, version.data)
		.where(version.ref_doctype == "Member")
		.where((version.modified >= since) & (version.creation >= since))
		.where(version.data.like("%Terminated%"))
		.run()
	)
	names = {name for name, data in rows if alert_rules.version_sets(data, "status", "Terminated")}
	# A member reinstated since (a termination undone) is no longer churn.
	return frappe.db.count("Member", {"name": ("in", list(names)), "status": "Terminated"}) if names else 0
