"""Public API for alerts: the checks (scheduler, ``bench execute``) and acknowledging/resolving alerts.

Whitelisted methods check roles first: System Manager and Verenigingen Administrator may
acknowledge and resolve; Verenigingen Manager may also read. The scheduler entries are not
whitelisted: they run as Administrator, who may create alerts.
"""

import frappe
from frappe import _

from verenigingen.monitoring import ALERT, alerts
from verenigingen.monitoring.alert_checks import AlertManager
from verenigingen.permissions import ADMIN_ROLES, require_roles, require_staff
from verenigingen.utils.arguments import parse_int, parse_severity

__all__ = [
	"AlertManager",
	"acknowledge_alert",
	"get_active_alerts",
	"resolve_alert",
	"run_daily_checks",
	"run_hourly_checks",
]
ALERT_HANDLER_ROLES = tuple(sorted(ADMIN_ROLES))
DEFAULT_LIMIT = 50


@frappe.whitelist(methods=["POST"])
def acknowledge_alert(name: str) -> dict:
	"""Mark an alert as being handled by the current user."""
	require_roles(*ALERT_HANDLER_ROLES)
	frappe.has_permission(ALERT, "write", name, throw=True)
	return alerts.acknowledge(name)


@frappe.whitelist(methods=["POST"])
def resolve_alert(name: str) -> dict:
	"""Close an alert by hand."""
	require_roles(*ALERT_HANDLER_ROLES)
	frappe.has_permission(ALERT, "write", name, throw=True)
	return alerts.resolve(name)


@frappe.whitelist()
def get_active_alerts(limit=None, min_severity: str | None = None) -> dict:
	"""Open and Acknowledged alerts with first and last seen, most severe first; ``min_severity``
	(LOW, MEDIUM, HIGH, CRITICAL or Info, Warning, High, Critical, any case) leaves out the less severe."""
	require_staff()
	frappe.has_permission(ALERT, "read", throw=True)
	limit = parse_int(limit, _("Limit")) or DEFAULT_LIMIT
	min_severity = parse_severity(min_severity, _("Minimum Severity"))
	rows = alerts.active_alerts(limit, min_severity)
	return {"alerts": rows, "count": len(rows), "min_severity": min_severity}


def run_hourly_checks() -> dict:
	"""Scheduler entry (hourly): error rate, slow queries, SEPA failures."""
	return AlertManager().run_hourly_checks()


def run_daily_checks() -> dict:
	"""Scheduler entry (daily): member churn."""
	return AlertManager().run_daily_checks()
