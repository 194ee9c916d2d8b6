"""Public API for the background queues: their status, clearing stuck jobs, the hourly queue check.

Staff (System Manager, Verenigingen Administrator, Verenigingen Manager) may read the status;
only System Manager and Verenigingen Administrator may clear stuck jobs.
"""

import frappe

from verenigingen.account_creation import REQUEST, TRACKER
from verenigingen.monitoring import alerts, queue_checks, queues, stuck_jobs
from verenigingen.permissions import ADMIN_ROLES, require_roles, require_staff

OPERATOR_ROLES = tuple(sorted(ADMIN_ROLES))


@frappe.whitelist()
def get_queue_status() -> dict:
	"""Jobs per state, oldest job age and workers of bulk/long/default/short; members waiting per run."""
	require_staff()
	frappe.has_permission(TRACKER, "read", throw=True)
	status = queues.all_queue_status()
	status["stuck_jobs"] = stuck_jobs.find_stuck_jobs()
	status["stuck_threshold_minutes"] = stuck_jobs.stuck_threshold_minutes()
	return status


@frappe.whitelist(methods=["POST"])
def clear_stuck_jobs() -> dict:
	"""Move stuck jobs to rq's failed registry and re-queue their requests; recorded as a Monitoring Action."""
	require_roles(*OPERATOR_ROLES)
	frappe.has_permission(REQUEST, "write", throw=True)
	frappe.has_permission(stuck_jobs.ACTION, "create", throw=True)
	return stuck_jobs.clear_stuck_jobs()


def monitor_bulk_queue_health() -> dict:
	"""Scheduler (hourly): raise and resolve the queue alerts; a failure logs one Error Log."""
	return alerts.run_check("Verenigingen: bulk queue health", queue_checks.check_bulk_queue)
