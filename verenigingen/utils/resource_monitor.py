"""Public API for machine and service figures (CPU, memory, disk, load, workers, Redis, database)."""

import frappe

from verenigingen.monitoring.resources import ResourceMonitor
from verenigingen.permissions import require_staff

__all__ = ["ResourceMonitor", "get_system_metrics"]


@frappe.whitelist()
def get_system_metrics() -> dict:
	"""Current figures; a figure that cannot be read is None (unknown), never 0."""
	require_staff()
	return ResourceMonitor().collect_system_metrics()
