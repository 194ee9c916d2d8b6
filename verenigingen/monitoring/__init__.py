"""Monitoring: persisted alerts, the checks that raise them, queue health and performance.

``alerts`` is the one place that writes Verenigingen Alert; the public entry points live in
``verenigingen.utils`` (alert_manager, bulk_queue_config, bulk_performance_monitor).
"""

ALERT = "Verenigingen Alert"
