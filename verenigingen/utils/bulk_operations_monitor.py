"""Public API of the Bulk Operations Monitor page: its data, and its data-changing buttons.

Staff read. A run's buttons (cancel, retry, clear retries) take the same guard as the account API
they call (``permissions.require_run_control``: whoever may start a run may steer it); clearing
stuck jobs and handling alerts stay with System Manager and Verenigingen Administrator.
"""

import frappe
from frappe import _

from verenigingen.account_creation import TRACKER
from verenigingen.monitoring import monitor_page
from verenigingen.permissions import require_run_control, require_staff
from verenigingen.utils import account_creation_manager, bulk_retry_processor
from verenigingen.utils.arguments import parse_int

MAX_DAYS = 366
RUN_FIELDS = (
	"name", "status", "total", "processed", "successful", "failed", "waiting_for_retry", "cancelled",
)


@frappe.whitelist()
def get_monitor_data(days=7) -> dict:
	"""Metrics over ``days``, queue health, alerts, last runs, retry queue and what the user may do."""
	require_staff()
	frappe.has_permission(TRACKER, "read", throw=True)
	return monitor_page.monitor_data(min(parse_int(days, _("Days")) or 7, MAX_DAYS))


@frappe.whitelist(methods=["POST"])
def cancel_run(tracker_name: str) -> dict:
	"""Cancel a run's requests that have not started; returns the run's counts afterwards."""
	require_run_control()
	account_creation_manager.cancel_bulk_operation(tracker_name)
	return run_counts(tracker_name)


@frappe.whitelist(methods=["POST"])
def retry_run(tracker_name: str) -> dict:
	"""Retry every Failed request of a run now (also the retry queue's Retry now)."""
	require_run_control()
	return bulk_retry_processor.manual_retry_failed_requests(tracker_name)


@frappe.whitelist(methods=["POST"])
def clear_run_retries(tracker_name: str) -> dict:
	"""Stop the automatic retries of a run; its requests stay Failed."""
	require_run_control()
	return bulk_retry_processor.clear_retry_queue(tracker_name)


def run_counts(tracker_name: str) -> dict:
	return frappe.db.get_value(TRACKER, tracker_name, RUN_FIELDS, as_dict=True) or {"name": tracker_name}
