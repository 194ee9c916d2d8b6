"""What the Bulk Operations Monitor page shows, in one call: the dashboard data and the page's extras."""

import frappe

from verenigingen.account_creation.tracker import PROGRESS_EVENT
from verenigingen.monitoring import performance
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
