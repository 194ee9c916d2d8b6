"""Bulk run performance: the daily threshold check and the dashboard's figures, from aggregate queries."""

from datetime import timedelta

import frappe
from frappe.utils import now_datetime

from verenigingen.account_creation import TRACKER, retry
from verenigingen.core.performance import (
	PERFORMANCE_ALERT_TYPES,
	RunFigures,
	Thresholds,
	judge_run,
	summarise_runs,
)
from verenigingen.monitoring import alerts
from verenigingen.monitoring.findings import publish, setting
from verenigingen.monitoring.queues import all_queue_status

LAST_RUNS = 5


def thresholds() -> Thresholds:
	return Thresholds(
		success_rate_percent=float(setting("success_rate_alert_percent", 95) or 0),
		max_completion_hours=float(setting("max_completion_hours", 6) or 0),
		min_rate_per_minute=float(setting("min_accounts_per_minute", 15) or 0),
	)


def runs_to_judge(now) -> list[RunFigures]:
	"""Runs still open, and runs finished within the performance window."""
	since = now - timedelta(hours=int(setting("performance_window_hours", 24) or 24))
	rows = frappe.db.sql(
		"""select name, status, total, processed, successful, failed, started_at, finished_at
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
	limits = thresholds()
	findings = [finding for run in runs for finding in judge_run(run, limits, now)]
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
			"""select name, status, total, processed, successful, failed, started_at, finished_at
		from `tabBulk Operation Tracker` where creation >= %(since)s""",
			{"since": since},
			as_dict=True,
		)
	]
	return {
		"days": days,
		**summarise_runs(runs, now),
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
			"status",
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
