"""Public API of the operator status (what ``bench verenigingen-status --json`` prints), for staff."""

import frappe

from verenigingen.account_creation import TRACKER
from verenigingen.monitoring.operator_status import collect_status
from verenigingen.permissions import require_staff


@frappe.whitelist()
def get_operator_status() -> dict:
	"""Runs, queues and workers, open alerts, the last import, the problems and the exit code."""
	require_staff()
	frappe.has_permission(TRACKER, "read", throw=True)
	return collect_status()
