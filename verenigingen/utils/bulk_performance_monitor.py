"""Public API for bulk run performance: the daily threshold check and the dashboard's data."""

import frappe
from frappe import _

from verenigingen.account_creation import TRACKER
from verenigingen.monitoring import alerts, performance
from verenigingen.permissions import require_staff
from verenigingen.utils.arguments import parse_int

MAX_DAYS = 366


def run_performance_monitoring() -> dict:
	"""Scheduler (daily): judge open and recent runs against the settings; raise and resolve alerts."""
	return alerts.run_check("Verenigingen: bulk performance", performance.check_performance)


@frappe.whitelist()
def get_performance_dashboard_data(days=7) -> dict:
	"""Totals, rates, last runs, queue health, active alerts and the retry queue, in one call."""
	require_staff()
	frappe.has_permission(TRACKER, "read", throw=True)
	days = min(parse_int(days, _("Days")) or 7, MAX_DAYS)
	return performance.dashboard_data(days)
