"""The app's health for outside tools: ok / degraded / down, and the details behind it for staff."""

import frappe
from frappe.utils import now_datetime
from frappe.utils.background_jobs import get_redis_conn
from frappe.utils.scheduler import is_scheduler_disabled

from verenigingen.core.system_figures import HealthFacts, health_status
from verenigingen.monitoring import ALERT
from verenigingen.shared.queues import configured_queues, queue_status

ACTIVE_ALERT_STATUSES = ("Open", "Acknowledged")


def probe(check) -> bool:
	"""True when the check runs without an error."""
	try:
		check()
		return True
	except Exception:  # noqa: BLE001 - any failure of a probe means "not reachable"
		return False


def collect_health(with_details: bool) -> dict:
	"""The status and timestamp; with the details (database, Redis, scheduler, workers, alerts) for staff."""
	database = probe(lambda: frappe.db.sql("select 1"))
	redis_cache = probe(frappe.cache.ping)
	redis_queue = probe(lambda: get_redis_conn().ping())
	queues = read_queues() if redis_queue else {}
	scheduler = None if not database else not is_scheduler_disabled(verbose=False)
	critical = open_critical_alerts() if database else None
	bulk = queues.get("bulk") or {}
	facts = HealthFacts(
		database,
		redis_cache,
		redis_queue,
		scheduler,
		bool(bulk.get("queued")) and not bulk.get("workers"),
		critical,
	)
	result = {"status": health_status(facts), "timestamp": now_datetime().isoformat()}
	if with_details:
		result.update(
			database=database,
			redis_cache=redis_cache,
			redis_queue=redis_queue,
			scheduler_enabled=scheduler,
			queues=queues,
			open_critical_alerts=critical,
		)
	return result


def read_queues() -> dict:
	"""Queued jobs and live workers per configured queue."""
	queues = {}
	for name in configured_queues():
		status = queue_status(name)
		queues[name] = {
			"queued": status["queued"],
			"started": status["started"],
			"workers": len([w for w in status["workers"] if w["alive"] is not False]),
		}
	return queues


def open_critical_alerts() -> int | None:
	"""Active Critical alerts; None before the alert DocType exists on this site."""
	if not frappe.db.table_exists(ALERT):
		return None
	return frappe.db.count(ALERT, {"severity": "Critical", "status": ("in", ACTIVE_ALERT_STATUSES)})
