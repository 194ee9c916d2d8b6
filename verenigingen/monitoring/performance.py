"""Bulk run performance: the daily threshold check and the dashboard's figures, from aggregate queries."""

from dataclasses import replace
from datetime import timedelta

import frappe
from frappe.utils import now_datetime

from verenigingen.account_creation import TRACKER, retry
from verenigingen.core.performance import (
	ACCOUNT_CREATION,
	MANDATE_CREATION,
	PERFORMANCE_ALERT_TYPES,
	RunFigures,
	Thresholds,
	judge_runs,
	summarise_runs,
)
from verenigingen.monitoring import alerts
from verenigingen.monitoring.findings import publish, setting
from verenigingen.monitoring.queues import all_queue_status

LAST_RUNS = 5
# Settings holding each operation type's minimum rate, with their documented defaults.
MIN_RATE_SETTINGS = {
	ACCOUNT_CREATION: ("min_accounts_per_minute", 15),
	MANDATE_CREATION: ("min_mandates_per_minute", 300),
}


def common_thresholds() -> Thresholds:
	"""Success rate and completion time, the same for every operation type; no rate (units differ)."""
	return Thresholds(
		success_rate_percent=float(setting("success_rate_alert_percent", 95) or 0),
		max_completion_hours=float(setting("max_completion_hours", 6) or 0),
		min_rate_per_minute=None,
	)


def thresholds_by_type() -> dict[str, Thresholds]:
	"""Each operation type's thresholds: the common ones and its own minimum rate."""
	common = common_thresholds()
	return {
		operation_type: replace(common, min_rate_per_minute=float(setting(fieldname, default) or 0))
		for operation_type, (fieldname, default) in MIN_RATE_SETTINGS.items()
	}


def runs_to_judge(now) -> list[RunFigures]:
	"""Runs still open, and runs finished within the performance window."""
	since = now - timedelta(hours=int(setting("performance_window_hours", 24) or 24))
	rows = frappe.db.sql(
		"""select name, status, total, processed, successful, failed, started_at, finished_at, operation_type
		from `tabBulk Operation Tracker`
		where finished_at is null or finished_at >= %(since)s""",
		{"since": since},
		as_dict=True,
	)
	return [run_figures(row) for row in rows]


def run_figures(row) -> RunFigures:
	return RunFigures(
		row.name,
		row.status,
		int(row.total or 0),
		int(row.processed or 0),
		int(row.successful or 0),
		int(row.failed or 0),
		row.started_at,
		row.finished_at,
		row.get("operation_type") or ACCOUNT_CREATION,
	)


def failures_by_reason(tracker_names: list[str]) -> list[dict]:
	"""Failed requests of the runs per class and reason (one grouped query)."""
	if not tracker_names:
		return []
	return frappe.db.sql(
		"""select tracker, failure_class, failure_reason, count(*) as failures
		from `tabAccount Creation Request` where tracker in %(trackers)s and status = 'Failed'
		group by tracker, failure_class, failure_reason order by failures desc""",
		{"trackers": tuple(tracker_names)},
		as_dict=True,
	)


def check_performance() -> dict:
	"""Judge the runs against the settings; raise and resolve the performance alerts."""
	now = now_datetime()
	runs = runs_to_judge(now)
	findings = judge_runs(runs, thresholds_by_type(), common_thresholds(), now)
	return {
		**publish(findings, PERFORMANCE_ALERT_TYPES),
		"runs": len(runs),
		"summary": summarise_runs(runs, now),
		"failures": failures_by_reason([run.name for run in runs if run.failed]),
	}


def dashboard_data(days: int) -> dict:
	"""Everything the performance dashboard shows, in one call."""
	now = now_datetime()
	since = now - timedelta(days=days)
	runs = [
		run_figures(row)
		for row in frappe.db.sql(
			"""select name, status, total, processed, successful, failed, started_at, finished_at, operation_type
		from `tabBulk Operation Tracker` where creation >= %(since)s""",
			{"since": since},
			as_dict=True,
		)
	]
	return {
		"days": days,
		**summarise_runs(runs, now),
		# Rates and counts per operation type: a mandate is not an account (the monitor's
		# accounts-per-minute figure is the account runs').
		"by_operation_type": {
			kind: summarise_runs([run for run in runs if run.operation_type == kind], now)
			for kind in sorted({run.operation_type for run in runs})
		},
		"last_operations": last_operations(),
		"queue_health": all_queue_status(),
		"active_alerts": alerts.active_alerts(20),
		"retry_queue": retry_queue(),
		"generated_at": now,
	}


def last_operations() -> list[dict]:
	rows = frappe.get_all(
		TRACKER,
		fields=[
			"name",
			"operation_type",
			"status",
			"paused",
			"total",
			"processed",
			"successful",
			"failed",
			"waiting_for_retry",
			"rate_per_minute",
			"eta",
			"started_at",
			"finished_at",
			"creation",
		],
		order_by="creation desc",
		limit_page_length=LAST_RUNS,
	)
	for row in rows:
		row["progress_percent"] = round(row.processed * 100 / row.total, 1) if row.total else None
	return rows


def retry_queue() -> dict:
	"""Requests waiting for an automatic retry, per run (bulk_retry_processor.get_retry_queue_status)."""
	rows = retry.retry_queue_status()
	return {"waiting": sum(row.waiting for row in rows), "trackers": rows}
