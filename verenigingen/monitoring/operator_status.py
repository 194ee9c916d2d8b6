"""The figures behind ``bench verenigingen-status``: runs in progress, queues and workers, open alerts,
the last import, and what needs an operator (``core.operator_status``). One call, a few queries.

The dict is the command's JSON (``SCHEMA`` 1, docs/monitoring/OPERATIONS_MANUAL.md): keys are stable,
values plain; a key is only ever added, never renamed or dropped, without a new schema number.
"""

import frappe
from frappe.utils import get_system_timezone, now_datetime
from redis.exceptions import RedisError

from verenigingen.account_creation import TRACKER
from verenigingen.core import bulk_progress
from verenigingen.core.alert_rules import CRITICAL
from verenigingen.core.operator_status import exit_code, find_problems, live_workers, run_progress
from verenigingen.member_import import DOCTYPE as IMPORT
from verenigingen.member_import.messages import message_text
from verenigingen.monitoring import ALERT
from verenigingen.monitoring.alerts import ACTIVE_STATUSES, active_alerts
from verenigingen.monitoring.queues import all_queue_status
from verenigingen.sepa.mandate_run import OPERATION_TYPE as MANDATE_RUN

SCHEMA = 1
ALERTS_LISTED = 20
RUN_FIELDS = (
	"name", "operation_type", "status", "total", "processed", "successful", "failed", "started_at",
	"paused_at", "paused_seconds", "source_import",
)
QUEUE_FIGURES = ("queued", "started", "failed", "scheduled", "deferred")
ALERT_FIELDS = ("name", "severity", "status", "alert_type", "message", "occurrences", "first_seen", "last_seen")
IMPORT_FIELDS = (
	"name", "status", "import_file", "total_rows", "created_count", "updated_count", "unchanged_count",
	"error_count", "skipped_count", "started_at", "finished_at", "accounts_queued", "bulk_operation_tracker",
)


def collect_status() -> dict:
	"""Everything the command prints, and the exit code it ends with."""
	now = now_datetime()
	runs = runs_in_progress(now)
	queues = read_queues()
	waiting = None if queues is None else queues["members_waiting"] + mandate_members_waiting(runs)
	bulk = (queues or {}).get("queues", {}).get("bulk")
	live = None if queues is None else live_workers(bulk["workers"] if bulk else [])
	critical = frappe.db.count(ALERT, {"status": ("in", ACTIVE_STATUSES), "severity": CRITICAL})
	problems = find_problems(waiting or 0, live, critical)
	return {
		"schema": SCHEMA,
		"site": frappe.local.site,
		"checked_at": now,
		"time_zone": get_system_timezone(),
		"exit_code": exit_code(problems),
		"problems": [
			{"code": p.code, "exit_bit": p.exit_bit, "message": message_text(p.message)} for p in problems
		],
		"runs": runs,
		"members_waiting": waiting,
		"bulk_workers_alive": live,
		"queues": None if queues is None else queue_summary(queues),
		"critical_alerts": critical,
		"alerts": [{field: row.get(field) for field in ALERT_FIELDS} for row in active_alerts(ALERTS_LISTED)],
		"last_import": last_import(),
	}


def runs_in_progress(now) -> list[dict]:
	"""Bulk runs not finished (Paused included), oldest first, with percentage, rate and ETA."""
	rows = frappe.get_list(
		TRACKER,
		filters={"status": ("not in", sorted(bulk_progress.FINISHED_STATUSES))},
		fields=list(RUN_FIELDS),
		order_by="creation asc",
		limit_page_length=0,
	)
	return [{**{f: row.get(f) for f in RUN_FIELDS if f not in ("paused_at", "paused_seconds")},
		**run_progress(row, now)} for row in rows]


def mandate_members_waiting(runs: list[dict]) -> int:
	"""Members of mandate runs that wait for a bulk worker (a paused run waits for an operator)."""
	return sum(
		run["remaining"]
		for run in runs
		if run["operation_type"] == MANDATE_RUN and run["status"] in (bulk_progress.QUEUED, bulk_progress.PROCESSING)
	)


def read_queues() -> dict | None:
	"""The queues and the members waiting for an account; None when Redis cannot be read."""
	try:
		return all_queue_status()
	except RedisError:
		return None


def queue_summary(queues: dict) -> dict:
	"""Per queue: the bench-wide job counts and workers, and this site's share under ``site``."""
	return {
		name: {
			**{figure: queue.get(figure) for figure in QUEUE_FIGURES},
			"workers": len(queue.get("workers") or []),
			"workers_alive": live_workers(queue.get("workers") or []),
			"oldest_queued_seconds": queue.get("oldest_queued_seconds"),
			"site": {figure: (queue.get("site") or {}).get(figure) for figure in (*QUEUE_FIGURES, "busy_workers")},
		}
		for name, queue in queues["queues"].items()
	}


def last_import() -> dict | None:
	"""The newest Mijnrood CSV Import, whatever its status."""
	rows = frappe.get_list(IMPORT, fields=list(IMPORT_FIELDS), order_by="creation desc", limit_page_length=1)
	return {field: rows[0].get(field) for field in IMPORT_FIELDS} if rows else None
