"""/monitoring_dashboard: machine, error rates, queues, SEPA compliance and alerts, refreshing itself.

Only System Manager and Verenigingen Administrator see it: a guest is sent to the login page,
anyone else logged in gets 403. The page's script reads its figures from ``get_system_metrics``.
"""

import frappe
from frappe import _

from verenigingen.core.alert_rules import SEVERITIES
from verenigingen.monitoring import system_overview
from verenigingen.permissions import require_admin

no_cache = 1
LOGIN_REDIRECT = "/login?redirect-to=/monitoring_dashboard"
REFRESH_SECONDS = 30


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = LOGIN_REDIRECT
		raise frappe.Redirect(302)
	require_admin()
	context.no_cache = 1
	context.show_sidebar = False
	context.title = _("Monitoring Dashboard")
	context.refresh_seconds = REFRESH_SECONDS
	context.labels = page_labels()
	context.site = frappe.local.site


@frappe.whitelist()
def get_system_metrics() -> dict:
	"""Every section of the monitoring dashboard in one call."""
	require_admin()
	return system_overview.collect()


def page_labels() -> dict:
	"""Words the page's script writes into the sections, in the user's language."""
	return {
		"unknown": _("unknown"),
		"hour": _("Last hour"),
		"day": _("Last 24 hours"),
		"none": _("None"),
		"no_alerts": _("No active alerts"),
		"no_sepa": _("No SEPA audit events yet"),
		"backlog": _("Members are waiting and no bulk worker is running"),
		"updated": _("Updated {0}"),
		"failed": _("Could not load the figures: {0}"),
		# Stored values, shown in the user's language (each has its Dutch entry).
		"severities": {severity: _(severity) for severity in SEVERITIES},
		"statuses": {status: _(status) for status in ("Open", "Acknowledged")},
	}
