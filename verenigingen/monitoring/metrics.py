"""Prometheus exposition: a collector that reads the database and Redis at scrape time.

Nothing is counted in process memory (a restart would lose it): every scrape reads the source.
"""

import frappe
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from verenigingen.core import alert_rules
from verenigingen.core.queue_health import STATES as QUEUE_STATES
from verenigingen.monitoring import ALERT
from verenigingen.monitoring.health import ACTIVE_ALERT_STATUSES
from verenigingen.monitoring.queues import members_waiting
from verenigingen.shared.queues import configured_queues, queue_status



class VerenigingenCollector(Collector):
	"""Trackers and requests by status, accounts created, queue lengths, workers, open alerts."""

	def collect(self):
		yield self.by_status(
			"verenigingen_bulk_operations",
			"Bulk Operation Trackers by status",
			"select status, count(*) from `tabBulk Operation Tracker` group by status",
		)
		yield self.by_status(
			"verenigingen_account_requests",
			"Account Creation Requests by status",
			"select status, count(*) from `tabAccount Creation Request` group by status",
		)
		created = frappe.db.count("Account Creation Request", {"status": "Completed"})
		yield CounterMetricFamily(
			"verenigingen_accounts_created", "Member accounts created (completed requests)", value=created
		)
		waiting = sum(int(row.queued) + int(row.processing) for row in members_waiting())
		yield GaugeMetricFamily(
			"verenigingen_members_waiting",
			"Members whose account request is Queued or Processing",
			value=waiting,
		)
		yield from self.queues()
		yield self.alerts()

	@staticmethod
	def by_status(name: str, documentation: str, query: str) -> GaugeMetricFamily:
		family = GaugeMetricFamily(name, documentation, labels=["status"])
		for status, count in frappe.db.sql(query):
			family.add_metric([status or ""], count)
		return family

	@staticmethod
	def queues():
		jobs = GaugeMetricFamily(
			"verenigingen_queue_jobs",
			"Jobs per RQ queue and state, whole bench (every site's jobs)",
			labels=["queue", "state"],
		)
		site_jobs = GaugeMetricFamily(
			"verenigingen_site_queue_jobs",
			"This site's jobs per RQ queue and state (by the site in the job id)",
			labels=["queue", "state"],
		)
		workers = GaugeMetricFamily(
			"verenigingen_queue_workers", "Live workers serving the queue, whole bench", labels=["queue"]
		)
		up = GaugeMetricFamily("verenigingen_queue_redis_up", "1 when the queue Redis could be read")
		try:
			statuses = {name: queue_status(name) for name in configured_queues()}
		except Exception:  # noqa: BLE001 - an unreachable Redis is a figure (up 0), not a failed scrape
			statuses = None
		up.add_metric([], 0 if statuses is None else 1)
		for name, status in (statuses or {}).items():
			for state in QUEUE_STATES:
				jobs.add_metric([name, state], status[state])
				site_jobs.add_metric([name, state], status["site"][state])
			workers.add_metric([name], len([w for w in status["workers"] if w["alive"] is not False]))
		return [jobs, site_jobs, workers, up]

	@staticmethod
	def alerts() -> GaugeMetricFamily:
		family = GaugeMetricFamily(
			"verenigingen_alerts_open",
			"Open or acknowledged alerts by severity (Info, Warning, High, Critical)",
			labels=["severity"],
		)
		counts = (
			dict(
				frappe.db.sql(
					"""select severity, count(*) from `tabVerenigingen Alert` where status in %(statuses)s group by severity""",
					{"statuses": ACTIVE_ALERT_STATUSES},
				)
			)
			if frappe.db.table_exists(ALERT)
			else {}
		)
		for severity, count in alert_rules.count_by_severity(counts).items():
			family.add_metric([severity], count)
		return family


def exposition() -> bytes:
	"""The metrics in Prometheus's text format."""
	registry = CollectorRegistry(auto_describe=False)
	registry.register(VerenigingenCollector())
	return generate_latest(registry)
