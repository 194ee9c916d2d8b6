"""What the Bulk Operations Monitor page shows, in one call: the dashboard data and the page's extras."""

import frappe

from verenigingen.account_creation.tracker import PROGRESS_EVENT
from verenigingen.monitoring import ALERT, performance
from verenigingen.permissions import ADMIN_ROLES, may_control_runs


def can_operate(user: str | None = None) -> bool:
	"""True when the user may clear stuck jobs and handle alerts (System Manager, Administrator)."""
	user = user or frappe.session.user
	return user == "Administrator" or bool(ADMIN_ROLES.intersection(frappe.get_roles(user)))


def monitor_data(days: int) -> dict:
	"""The performance dashboard data, failures by reason for the retry queue, the backlog verdict."""
	data = performance.dashboard_data(days)
	runs = {row.tracker for row in data["retry_queue"]["trackers"] if row.tracker}
	runs |= {row.name for row in data["last_operations"] if row.failed}
	data["retry_queue"]["reasons"] = performance.failures_by_reason(sorted(runs))
	data["active_alerts"] = with_seen_times(data["active_alerts"])
	data["backlog"] = backlog(data["queue_health"])
	data["can_operate"] = can_operate()
	# Cancel Run, Retry Failed, Retry Now and Clear: the account API's guard (a Manager too).
	data["can_control_runs"] = may_control_runs()
	data["progress_event"] = PROGRESS_EVENT
	return data


def backlog(queue_health: dict) -> dict:
	"""Members waiting and live bulk workers; a backlog without workers is the alarm the page shows.

	A worker whose process cannot be checked from here (another host) counts as live: unknown is
	not dead. Without a configured bulk queue the worker count is unknown (None).
	"""
	bulk = queue_health["queues"].get("bulk")
	live = None if bulk is None else len([w for w in bulk["workers"] if w["alive"] is not False])
	waiting = queue_health["members_waiting"]
	return {"members_waiting": waiting, "live_workers": live, "without_workers": bool(waiting) and live == 0}


def with_seen_times(rows: list[dict]) -> list[dict]:
	"""The alerts with their first_seen and last_seen, read here.

	Frappe's get_list drops every field whose name contains "_seen" from a DocType without its own
	``_seen`` column (DatabaseQuery.set_optional_columns), so alerts.active_alerts cannot return them.
	"""
	if not rows:
		return rows
	alert = frappe.qb.DocType(ALERT)
	seen = {
		row.name: row
		for row in frappe.qb.from_(alert)
		.select(alert.name, alert.first_seen, alert.last_seen)
		.where(alert.name.isin([row["name"] for row in rows]))
		.run(as_dict=True)
	}
	return [{**row, "first_seen": seen[row["name"]].first_seen, "last_seen": seen[row["name"]].last_seen}
		for row in rows]
