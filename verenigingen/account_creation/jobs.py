"""Which bulk runs still have a job that will reach their requests (running on a live worker, or
queued), and whether the process that claimed a request is still alive.

Liveness is rq's own: a busy worker's heartbeat (every ``job_monitoring_interval`` seconds) in
Redis, so a worker on another host that died is recognised; on this host the process table too.
"""

import os
import secrets
import socket

import frappe
from frappe.utils.background_jobs import get_queue, get_redis_conn
from rq import Worker, get_current_job
from rq.defaults import DEFAULT_JOB_MONITORING_INTERVAL
from rq.registry import StartedJobRegistry
from rq.utils import utcnow, utcparse

from verenigingen.account_creation import BULK_QUEUE
from verenigingen.core.batching import tracker_of_batch_job
from verenigingen.core.claims import UNKNOWN as UNKNOWN_CLAIM
from verenigingen.core.claims import Claim, WorkerBeat, claim_state, heartbeat_grace_seconds, parse_claim, worker_alive
from verenigingen.shared.queues import process_alive

# Frappe starts its workers with rq's default monitoring interval.
HEARTBEAT_GRACE_SECONDS = heartbeat_grace_seconds(DEFAULT_JOB_MONITORING_INTERVAL)


def trackers_with_running_jobs() -> set[str]:
	"""Trackers with a batch job started by a worker that is alive: only such a job finishes a
	request it has claimed (Processing).

	Read without rq's registry cleanup (a read must not move jobs). A started job whose worker
	is gone (its process no longer exists here, or its heartbeat stopped) does not count.
	"""
	return _trackers_of(running_job_ids())


def running_job_ids() -> set[str]:
	"""Ids of the `bulk` jobs started by a worker that is alive (read without rq's registry cleanup)."""
	queue = get_queue(BULK_QUEUE)
	started = {job_id.decode() for job_id in queue.connection.zrange(StartedJobRegistry(queue=queue).key, 0, -1)}
	now, here = utcnow(), socket.gethostname()
	running = {
		worker.get_current_job_id()
		for worker in Worker.all(queue=queue)
		if worker_alive(worker.hostname, here, process_alive(worker.hostname, worker.pid), _naive(worker.last_heartbeat),
			now, HEARTBEAT_GRACE_SECONDS)
	}
	return started & running


def trackers_with_waiting_jobs() -> set[str]:
	"""Trackers with a batch job waiting in the queue: it will claim their Queued requests."""
	return _trackers_of(get_queue(BULK_QUEUE).get_job_ids())


def live_bulk_job_ids() -> set[str]:
	"""This site's `bulk` job ids (without the site prefix) waiting in the queue or running on a live worker."""
	return set(_site_job_ids(running_job_ids() | set(get_queue(BULK_QUEUE).get_job_ids())))


def _site_job_ids(job_ids):
	# Frappe names a job "<site>::<job id>"; workers serve every site of the bench.
	prefix = f"{frappe.local.site}::"
	return (job_id.removeprefix(prefix) for job_id in job_ids if job_id and job_id.startswith(prefix))


def _trackers_of(job_ids) -> set[str]:
	return {tracker for tracker in map(tracker_of_batch_job, _site_job_ids(job_ids)) if tracker}


def current_claim() -> Claim:
	"""This process as the claimant of a request: host, pid, and its rq worker and job when in one."""
	job = get_current_job()
	return Claim(socket.gethostname(), os.getpid(), secrets.token_hex(4), (job and job.worker_name) or "",
		(job and job.id) or "")


def claim_states(rows: list[dict], now_local) -> dict[str, str]:
	"""ALIVE/DEAD/UNKNOWN (core.claims) per request row (name, claimed_by, modified); no claim: UNKNOWN.

	``modified`` is the claim's time in the site's time zone (``now_local`` likewise); heartbeats
	are in UTC, so each is compared with its own clock.
	"""
	claims = {row["name"]: parse_claim(row.get("claimed_by")) for row in rows}
	beats = worker_beats({claim.worker for claim in claims.values() if claim and claim.worker})
	here, now_utc = socket.gethostname(), utcnow().replace(tzinfo=None)
	states = {}
	for row in rows:
		claim = claims[row["name"]]
		if not claim:
			states[row["name"]] = UNKNOWN_CLAIM
			continue
		# Ages in one clock: the claim's against local now, shifted onto UTC for the heartbeat test.
		claimed_at_utc = now_utc - (now_local - row["modified"])
		states[row["name"]] = claim_state(claim, claimed_at_utc, now_utc, HEARTBEAT_GRACE_SECONDS, here,
			process_alive(claim.host, claim.pid), beats.get(claim.worker))
	return states


def worker_beats(worker_names) -> dict[str, WorkerBeat]:
	"""Heartbeat and current job of rq workers, read from their keys by name.

	By key, not from rq's set of workers: after a Redis flush a live worker's next heartbeat writes
	its key again, but not the set.
	"""
	names = sorted(worker_names)
	if not names:
		return {}
	with get_redis_conn().pipeline() as pipe:
		for name in names:
			pipe.hmget(Worker.redis_worker_namespace_prefix + name, "last_heartbeat", "current_job")
		replies = pipe.execute()
	beats = {}
	for name, (heartbeat, job) in zip(names, replies):
		if heartbeat:
			beats[name] = WorkerBeat(utcparse(heartbeat.decode()).replace(tzinfo=None), job.decode() if job else None)
	return beats


def _naive(moment):
	return moment.replace(tzinfo=None) if moment and moment.tzinfo else moment
