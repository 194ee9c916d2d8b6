"""Queue health rules: which started jobs are stuck and what a queue snapshot says is wrong.

Pure: the shell reads Redis and the database and passes plain values and the current time.
"""

from dataclasses import dataclass, field
from datetime import datetime

from verenigingen.core.alert_rules import CRITICAL, WARNING

WORKER_GONE = "worker gone"
HEARTBEAT_LOST = "heartbeat lost"

# Alert types raised by the queue check (each owns its fingerprints, resolved when cleared).
BACKLOG_WITHOUT_WORKERS = "bulk_backlog_without_workers"
STUCK_JOBS = "bulk_stuck_jobs"
FAILED_JOBS = "bulk_failed_jobs"
WORKERS_BELOW_CONFIGURED = "bulk_workers_below_configured"
MEMBERS_WAITING = "bulk_members_waiting"
QUEUE_LENGTH = "queue_length"
QUEUE_ALERT_TYPES = (
	BACKLOG_WITHOUT_WORKERS,
	STUCK_JOBS,
	FAILED_JOBS,
	WORKERS_BELOW_CONFIGURED,
	MEMBERS_WAITING,
	QUEUE_LENGTH,
)


@dataclass(frozen=True)
class StartedJob:
	"""A job in a started registry, with what is known about the worker running it."""

	job_id: str
	queue: str
	worker_name: str | None
	last_heartbeat: datetime | None
	worker_alive: bool | None  # None: cannot be told from here (worker on another host)


@dataclass(frozen=True)
class Finding:
	"""One condition that should be an open alert; ``key`` tells two conditions of a type apart."""

	alert_type: str
	severity: str
	key: str
	figures: dict = field(default_factory=dict)


@dataclass(frozen=True)
class QueueSnapshot:
	"""The figures of one queue that the checks look at."""

	queue: str
	queued: int
	started: int
	failed: int
	workers: int


def stuck_reason(job: StartedJob, now: datetime, threshold_minutes: int) -> str | None:
	"""Why a started job is stuck, or None while its worker is alive and beating."""
	if threshold_minutes <= 0:
		raise ValueError("the stuck threshold must be at least one minute")
	if job.worker_alive is False:
		return WORKER_GONE
	if job.last_heartbeat is None:
		return HEARTBEAT_LOST
	if (now - job.last_heartbeat).total_seconds() > threshold_minutes * 60:
		return HEARTBEAT_LOST
	return None


def failed_since(scores_and_ttls: list[tuple[float, int]], since: float) -> int:
	"""Failed jobs that failed at or after ``since`` (epoch seconds).

	rq scores a failed job with the moment it expires, failure time + its failure TTL.
	"""
	return sum(1 for score, ttl in scores_and_ttls if score - ttl >= since)


# Frappe names every job "<site>::<id>" (frappe.utils.background_jobs.create_job_id).
SITE_SEPARATOR = "::"
STATES = ("queued", "started", "failed", "scheduled", "deferred")


def job_site(job_id: str | None) -> str | None:
	"""The site a Frappe job id names; None for a job enqueued without one (not Frappe's enqueue)."""
	site, separator, _rest = (job_id or "").partition(SITE_SEPARATOR)
	return site if separator and site else None


def site_figures(ids_by_state: dict[str, list[str]], current_jobs: list[str | None], site: str) -> dict:
	"""This site's share of bench-wide queue figures: its jobs per state (by the job id's site) and
	the workers busy with one of its jobs right now. Workers and registries serve every site."""
	figures = {state: sum(1 for job_id in ids_by_state.get(state, ()) if job_site(job_id) == site) for state in STATES}
	figures["busy_workers"] = sum(1 for job_id in current_jobs if job_site(job_id) == site)
	return figures


def oldest_age_seconds(enqueued: list[datetime | None], now: datetime) -> float | None:
	"""Age of the oldest queued job in seconds; None when nothing (dated) is queued."""
	dates = [moment for moment in enqueued if moment]
	return round((now - min(dates)).total_seconds(), 1) if dates else None


def queue_findings(
	bulk: QueueSnapshot, stuck_jobs: int, stuck_requests: int, configured_workers: int | None
) -> list[Finding]:
	"""What is wrong with the `bulk` queue itself (``bulk.failed``: jobs failed in the recent window)."""
	findings = []
	if bulk.queued and not bulk.workers:
		findings.append(Finding(BACKLOG_WITHOUT_WORKERS, CRITICAL, bulk.queue, {"queued": bulk.queued}))
	if stuck_jobs or stuck_requests:
		findings.append(
			Finding(STUCK_JOBS, CRITICAL, bulk.queue, {"jobs": stuck_jobs, "requests": stuck_requests})
		)
	if bulk.failed:
		findings.append(Finding(FAILED_JOBS, WARNING, bulk.queue, {"failed": bulk.failed}))
	if configured_workers and bulk.workers < configured_workers:
		findings.append(
			Finding(
				WORKERS_BELOW_CONFIGURED,
				WARNING,
				bulk.queue,
				{"workers": bulk.workers, "configured": configured_workers},
			)
		)
	return findings


def backlog_findings(
	queues: list[QueueSnapshot], members_waiting: int, queue_limit: int | None, members_limit: int | None
) -> list[Finding]:
	"""Too many jobs waiting on a queue, or too many members waiting for an account."""
	findings = [
		Finding(QUEUE_LENGTH, WARNING, queue.queue, {"queued": queue.queued, "limit": queue_limit})
		for queue in queues
		if queue_limit and queue.queued > queue_limit
	]
	if members_limit and members_waiting > members_limit:
		findings.append(
			Finding(MEMBERS_WAITING, WARNING, "bulk", {"waiting": members_waiting, "limit": members_limit})
		)
	return findings
