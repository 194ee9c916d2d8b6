"""Public API for insights from the app's own data (throughput, failures, configurations, growth, imports)."""

import frappe
from frappe import _

from verenigingen.account_creation import TRACKER
from verenigingen.monitoring.analytics import AnalyticsEngine
from verenigingen.permissions import require_staff
from verenigingen.utils.arguments import parse_int

__all__ = ["AnalyticsEngine", "generate_insights_report"]


@frappe.whitelist()
def generate_insights_report(days=90) -> dict:
	"""The insights report over the last ``days`` days; recommendations cite their figures."""
	require_staff()
	frappe.has_permission(TRACKER, "read", throw=True)
	frappe.has_permission("Member", "read", throw=True)
	return AnalyticsEngine(min(parse_int(days, _("Days")) or 90, 3660)).generate_insights_report()
