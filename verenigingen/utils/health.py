"""Public API for outside tools: the health status (anyone) and Prometheus metrics (monitoring role).

A Guest or a user without a staff role gets only ``status`` and ``timestamp``; staff get details.
Prometheus scrapes ``metrics`` with an API key of a user holding Verenigingen Monitoring.
"""

import frappe
from prometheus_client import CONTENT_TYPE_LATEST
from werkzeug.wrappers import Response

from verenigingen.monitoring.health import collect_health
from verenigingen.monitoring.metrics import exposition
from verenigingen.permissions import MONITORING_ROLE, is_staff, require_roles

METRICS_ROLES = (MONITORING_ROLE, "System Manager")


@frappe.whitelist(allow_guest=True)
def check() -> dict:
	"""ok / degraded / down and a timestamp; the details behind it only for staff."""
	return collect_health(with_details=frappe.session.user != "Guest" and is_staff())


@frappe.whitelist()
def metrics() -> Response:
	"""The app's metrics in Prometheus's text exposition format."""
	require_roles(*METRICS_ROLES)
	return Response(exposition(), content_type=CONTENT_TYPE_LATEST)
