"""Bulk Operations Performance Report: one row per bulk run, a totals row and the rate over time."""

from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime

from verenigingen.account_creation import TRACKER
from verenigingen.core.performance import duration_minutes, processing_rate, success_rate
from verenigingen.monitoring.performance import run_figures
from verenigingen.permissions import require_staff

FIELDS = (
	"name", "status", "creation", "started_at", "finished_at", "total", "processed", "successful",
	"failed", "batches_total", "batches_done", "source_import",
)


def execute(filters=None):
	require_staff()
	frappe.has_permission(TRACKER, "read", throw=True)
	now = now_datetime()
	rows = [run_row(tracker, now) for tracker in read_trackers(frappe._dict(filters or {}))]
	data = [*rows, totals_row(rows)] if rows else []
	return columns(), data, None, rate_chart(rows)


def read_trackers(filters) -> list:
	"""Runs created in the date range (both days included), optionally by status and source import."""
	tracker = frappe.qb.DocType(TRACKER)
	query = frappe.qb.from_(tracker).select(*(tracker[field] for field in FIELDS)).orderby(tracker.creation)
	if filters.from_date:
		query = query.where(tracker.creation >= getdate(filters.from_date))
	if filters.to_date:
		query = query.where(tracker.creation < getdate(filters.to_date) + timedelta(days=1))
	if filters.status:
		query = query.where(tracker.status == filters.status)
	if filters.source_import:
		query = query.where(tracker.source_import == filters.source_import)
	return query.run(as_dict=True)


def run_row(tracker, now) -> dict:
	run = run_figures(tracker)
	minutes = duration_minutes(run, now)
	return {
		"name": tracker.name,
		"status": tracker.status,
		"source_import": tracker.source_import,
		"started_at": tracker.started_at,
		"duration_minutes": round(minutes, 1) if minutes is not None else None,
		"total": run.total,
		"successful": run.successful,
		"failed": run.failed,
		"success_rate": success_rate(run.successful, run.failed),
		"rate_per_minute": processing_rate(run, now),
		"batches": tracker.batches_total,
		"processed": run.processed,
	}


def totals_row(rows: list[dict]) -> dict:
	"""Sums, the success rate of all attempts, and the rate over all run minutes (not a mean of means)."""
	minutes = sum(row["duration_minutes"] or 0 for row in rows)
	processed = sum(row["processed"] for row in rows if row["duration_minutes"])
	successful, failed = sum(row["successful"] for row in rows), sum(row["failed"] for row in rows)
	return {
		"status": _("Total"),  # in a text column: the run column links every value to a tracker
		"bold": 1,
		"duration_minutes": round(minutes, 1),
		"total": sum(row["total"] for row in rows),
		"successful": successful,
		"failed": failed,
		"success_rate": success_rate(successful, failed),
		"rate_per_minute": round(processed / minutes, 1) if minutes else None,
		"batches": sum(row["batches"] or 0 for row in rows),
	}


def rate_chart(rows: list[dict]) -> dict | None:
	"""Accounts per minute of each run that has a rate, by the time it started."""
	rated = [row for row in rows if row["rate_per_minute"] is not None and row["started_at"]]
	if not rated:
		return None
	return {
		"data": {
			"labels": [frappe.format(row["started_at"], "Datetime") for row in rated],
			"datasets": [{"name": _("Accounts per Minute"), "values": [row["rate_per_minute"] for row in rated]}],
		},
		# frappe-charts cannot draw a line through one point (broken SVG path): one run is a bar.
		"type": "line" if len(rated) > 1 else "bar",
		"fieldtype": "Float",
	}


def columns() -> list[dict]:
	return [
		{"fieldname": "name", "label": _("Bulk Run"), "fieldtype": "Link", "options": TRACKER, "width": 140},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 150},
		{"fieldname": "started_at", "label": _("Started At"), "fieldtype": "Datetime", "width": 160},
		{"fieldname": "duration_minutes", "label": _("Duration (min)"), "fieldtype": "Float", "width": 110},
		{"fieldname": "total", "label": _("Total"), "fieldtype": "Int", "width": 80},
		{"fieldname": "successful", "label": _("Successful"), "fieldtype": "Int", "width": 100},
		{"fieldname": "failed", "label": _("Failed"), "fieldtype": "Int", "width": 80},
		{"fieldname": "success_rate", "label": _("Success %"), "fieldtype": "Percent", "width": 100},
		{"fieldname": "rate_per_minute", "label": _("Accounts per Minute"), "fieldtype": "Float", "width": 140},
		{"fieldname": "batches", "label": _("Batches"), "fieldtype": "Int", "width": 80},
		{"fieldname": "source_import", "label": _("Source Import"), "fieldtype": "Data", "width": 140},
	]
