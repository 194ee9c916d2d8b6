"""Public API for retries of account requests (scheduler entry and Desk/JS calls)."""

import frappe
from frappe import _

from verenigingen.account_creation import REQUEST, TRACKER, retry, watch
from verenigingen.permissions import require_run_control, require_staff


def process_retry_queues() -> dict:
	"""Scheduler (every minute): retry due transient failures and recover stuck requests; while a
	run is open, keep the site active for Frappe's scheduler and recover all minute long."""
	threshold = frappe.get_cached_doc("Verenigingen Settings").stuck_job_threshold_minutes or 30
	return watch.scheduler_pass(threshold)


@frappe.whitelist()
def manual_retry_failed_requests(tracker_name: str) -> dict:
	"""Retry every Failed request of a bulk run now."""
	require_run_control()
	frappe.has_permission(TRACKER, "write", tracker_name, throw=True)
	frappe.has_permission(REQUEST, "write", throw=True)
	return {"tracker": tracker_name, "retried": retry.retry_tracker_failures(tracker_name)}


@frappe.whitelist()
def get_retry_queue_status() -> dict:
	"""Requests waiting for an automatic retry, per bulk run."""
	require_staff()
	frappe.has_permission(REQUEST, "read", throw=True)
	rows = retry.retry_queue_status()
	return {"waiting": sum(row.waiting for row in rows), "trackers": rows}


@frappe.whitelist()
def clear_retry_queue(tracker_name: str) -> dict:
	"""Stop automatic retries of a bulk run; the requests stay Failed for a human."""
	require_run_control()
	frappe.has_permission(TRACKER, "write", tracker_name, throw=True)
	if not frappe.db.exists(TRACKER, tracker_name):
		frappe.throw(_("Bulk Operation Tracker {0} not found").format(tracker_name), frappe.DoesNotExistError)
	cleared = retry.clear_waiting_retries(tracker_name)
	retry.refresh_trackers([tracker_name])
	return {"tracker": tracker_name, "cleared": cleared}
