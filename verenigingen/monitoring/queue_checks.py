"""The hourly queue check: backlog without workers, stuck jobs, failed jobs, too few workers, backlog."""

import time

import frappe
from frappe.utils.background_jobs import get_queue
from rq.registry import FailedJobRegistry

from verenigingen.core.queue_health import (
	QUEUE_ALERT_TYPES,
	QueueSnapshot,
	backlog_findings,
	failed_since,
	queue_findings,
)
from verenigingen.monitoring.findings import publish, setting
from verenigingen.monitoring.queues import all_queue_status
from verenigingen.monitoring.stuck_jobs import find_stuck_jobs, stuck_requests, stuck_threshold_minutes

FAILED_WINDOW_SECONDS = 24 * 3600
# The newest failed jobs looked at (Frappe keeps at most 1,000 per queue).
FAILED_SAMPLE = 1000


def check_bulk_queue() -> dict:
	"""Compare the queues with the settings; raise and resolve the queue alerts."""
	status = all_queue_status()
	snapshots = [snapshot(name, queue) for name, queue in status["queues"].items()]
	findings = []
	bulk = next((s for s in snapshots if s.queue == "bulk"), None)
	if bulk:
		threshold = stuck_threshold_minutes()
		stuck_jobs = [job for job in find_stuck_jobs(threshold) if job["queue"] == "bulk"]
		configured = int(setting("bulk_background_workers", 2) or 0)
		findings += queue_findings(bulk, len(stuck_jobs), stuck_requests(threshold), configured)
	findings += backlog_findings(
		snapshots,
		status["members_waiting"],
		int(setting("queue_length_alert_threshold", 1000) or 0),
		int(setting("backlog_alert_members", 1000) or 0),
	)
	return {**publish(findings, QUEUE_ALERT_TYPES), "findings": [f.alert_type for f in findings]}


def snapshot(queue_type: str, queue: dict) -> QueueSnapshot:
	"""The figures the rules look at; dead workers (process gone on this host) do not count."""
	workers = [worker for worker in queue["workers"] if worker["alive"] is not False]
	failed = recent_failures(queue_type) if queue_type == "bulk" else queue["failed"]
	return QueueSnapshot(queue_type, queue["queued"], queue["started"], failed, len(workers))


def recent_failures(queue_type: str) -> int:
	"""Jobs of the queue that failed in the last 24 hours."""
	queue = get_queue(queue_type)
	registry = FailedJobRegistry(queue=queue)
	rows = queue.connection.zrevrange(registry.key, 0, FAILED_SAMPLE - 1, withscores=True)
	jobs = queue.job_class.fetch_many(
		[job_id.decode() for job_id, _score in rows], connection=queue.connection
	)
	ttl = {job.id: job.failure_ttl for job in jobs if job}
	default_ttl = frappe.conf.get("rq_job_failure_ttl") or 7 * 24 * 3600
	return failed_since(
		[(score, ttl.get(job_id.decode()) or default_ttl) for job_id, score in rows],
		time.time() - FAILED_WINDOW_SECONDS,
	)
