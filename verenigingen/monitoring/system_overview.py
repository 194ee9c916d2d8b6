"""The /monitoring_dashboard figures: machine, error rates, queues, SEPA compliance and alerts."""

import frappe
from frappe.utils import now_datetime

from verenigingen.core.queue_health import STATES
from verenigingen.monitoring import alerts
from verenigingen.monitoring.alert_checks import ERROR_WINDOWS, SEPA_AUDIT_LOG, recent, sepa_audit_available
from verenigingen.monitoring.monitor_page import backlog
from verenigingen.monitoring.queues import all_queue_status
from verenigingen.monitoring.resources import ResourceMonitor

ALERT_ROWS = 20


def collect() -> dict:
	"""Every section of the page; a figure that cannot be read is None (shown as unknown)."""
	now = now_datetime()
	queues = all_queue_status()
	return {
		"system": ResourceMonitor().collect_system_metrics(),
		"error_rates": error_rates(now),
		"queues": {"queues": queue_rows(queues), "backlog": backlog(queues), "site": queues["site"]},
		"sepa": sepa_compliance(),
		"alerts": alerts.active_alerts(ALERT_ROWS),
		"generated_at": now,
	}


def error_rates(now) -> list[dict]:
	"""Error Log entries per window (last hour, last day)."""
	return [
		{"window": key, "count": frappe.db.count("Error Log", recent(now - span))}
		for key, span, _setting in ERROR_WINDOWS
	]


def queue_rows(queues: dict) -> list[dict]:
	"""One row per queue: job counts, oldest job age and the workers, without the job details.

	The counts and workers are the whole bench's (``scope``); ``site`` holds this site's jobs per
	state and the workers busy with one of them.
	"""
	return [
		{
			"queue": name,
			"scope": status["scope"],
			**{state: status[state] for state in STATES},
			"site": status["site"],
			"oldest_queued_seconds": status["oldest_queued_seconds"],
			"workers": len(status["workers"]),
			"live_workers": len([w for w in status["workers"] if w["alive"] is not False]),
		}
		for name, status in queues["queues"].items()
	]


def sepa_compliance() -> dict:
	"""SEPA Audit Log rows per compliance status; ``available`` False before the SEPA module exists."""
	if not sepa_audit_available():
		return {"available": False, "counts": []}
	log = frappe.qb.DocType(SEPA_AUDIT_LOG)
	count = frappe.query_builder.functions.Count("*").as_("count")
	rows = (
		frappe.qb.from_(log).select(log.compliance_status, count).groupby(log.compliance_status).run(as_dict=True)
	)
	return {"available": True, "counts": [{"status": row.compliance_status, "count": row.count} for row in rows]}
