"""Stuck jobs and requests: find them, hand dead jobs to rq's own cleanup, re-queue their requests.

A started job is stuck when the worker that runs it is gone (its process no longer exists on
this host, or it is no longer registered in Redis) or when its heartbeat is older than the
setting. Its requests go back to Queued and are enqueued again through the app's recovery:
nothing is deleted, and a request that runs again reuses the User it may already have.
"""

import json
from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import now_datetime
from frappe.utils.background_jobs import get_queue
from rq import Worker
from rq.job import Job
from rq.registry import StartedJobRegistry
from rq.timeouts import TimerDeathPenalty

from verenigingen.account_creation import REQUEST, batches, retry
from verenigingen.core.queue_health import StartedJob, stuck_reason
from verenigingen.monitoring.findings import setting
from verenigingen.shared.queues import configured_queues, naive, process_alive, utc_now

ACTION = "Verenigingen Monitoring Action"
DEFAULT_THRESHOLD_MINUTES = 30


def stuck_threshold_minutes() -> int:
	return int(setting("stuck_job_threshold_minutes", DEFAULT_THRESHOLD_MINUTES) or DEFAULT_THRESHOLD_MINUTES)


def find_stuck_jobs(threshold_minutes: int | None = None) -> list[dict]:
	"""Started jobs of every configured queue whose worker is gone or silent, with why."""
	threshold = threshold_minutes or stuck_threshold_minutes()
	now = utc_now()
	stuck = []
	for queue_type in configured_queues():
		for job, started in started_jobs(queue_type):
			reason = stuck_reason(started, now, threshold)
			if reason:
				stuck.append(describe(job, started, reason))
	return stuck


def started_jobs(queue_type: str) -> list[tuple[Job, StartedJob]]:
	queue = get_queue(queue_type)
	connection = queue.connection
	ids = [job_id.decode() for job_id in connection.zrange(StartedJobRegistry(queue=queue).key, 0, -1)]
	workers = {worker.name: worker for worker in Worker.all(queue=queue)}
	pairs = []
	for job in Job.fetch_many(ids, connection=connection):
		if not job:
			continue
		worker = workers.get(job.worker_name)
		alive = False if worker is None else process_alive(worker.hostname, worker.pid)
		pairs.append(
			(job, StartedJob(job.id, queue_type, job.worker_name, naive(job.last_heartbeat), alive))
		)
	return pairs


def describe(job: Job, started: StartedJob, reason: str) -> dict:
	"""A stuck job as plain values: names only (job arguments hold document names, never data)."""
	frappe_args = job.kwargs if isinstance(job.kwargs, dict) else {}
	method_args = frappe_args.get("kwargs") or {}
	return {
		"job_id": job.id,
		"queue": started.queue,
		"worker": started.worker_name,
		"reason": reason,
		"last_heartbeat_utc": started.last_heartbeat,
		"site": frappe_args.get("site"),
		"method": str(frappe_args.get("method") or job.func_name),
		"tracker": method_args.get("tracker_name"),
		"request": method_args.get("request_name"),
	}


def clear_stuck_jobs() -> dict:
	"""Move stuck jobs to the failed registry, re-queue their requests and recover stuck requests."""
	threshold = stuck_threshold_minutes()
	stuck = find_stuck_jobs(threshold)
	for queue_type in {job["queue"] for job in stuck}:
		expire_in_registry(queue_type, [job["job_id"] for job in stuck if job["queue"] == queue_type])
	ours = [job for job in stuck if job["site"] == frappe.local.site]
	requeued = requeue_trackers_of_dead_jobs(ours) + requeue_single_requests(ours)
	recovered = retry.recover_stuck_requests(threshold)
	result = {
		"jobs_moved_to_failed": stuck,
		"requests_requeued": requeued,
		"requests_recovered_after_threshold": recovered,
		"threshold_minutes": threshold,
	}
	result["action"] = record_action("Clear Stuck Jobs", result)
	return result


def expire_in_registry(queue_type: str, job_ids: list[str]) -> None:
	"""Mark the jobs expired and let rq's own cleanup move them to the failed registry.

	The cleanup runs each job's failure callback (Frappe always sets one) under a death
	penalty; rq's default arms SIGALRM, which only a process's main thread may do, and a
	threaded web server (``frappe serve``, gunicorn with threads) serves this from another
	thread. rq's timer-based penalty works in any thread.
	"""
	queue = get_queue(queue_type)
	registry = StartedJobRegistry(queue=queue, death_penalty_class=TimerDeathPenalty)
	queue.connection.zadd(registry.key, {job_id: 1 for job_id in job_ids}, xx=True)
	registry.cleanup()


def requeue_trackers_of_dead_jobs(stuck: list[dict]) -> list[str]:
	"""Bulk runs whose every started job is dead: their Processing requests back to Queued, re-enqueued."""
	dead = {job["tracker"] for job in stuck if job["tracker"]}
	alive = {job["tracker"] for job in live_bulk_jobs()}
	requeued = []
	for tracker_name in sorted(dead - alive):
		names = frappe.get_all(
			REQUEST, filters={"tracker": tracker_name, "status": "Processing"}, pluck="name"
		)
		requeued += reset_to_queued(names)
		batches.requeue_open_requests(tracker_name, int(now_datetime().timestamp()))
	return requeued


def requeue_single_requests(stuck: list[dict]) -> list[str]:
	requeued = []
	for job in stuck:
		if job["request"] and reset_to_queued([job["request"]]):
			attempts = frappe.db.get_value(
				REQUEST, job["request"], ["attempt_count", "priority"], as_dict=True
			)
			batches.enqueue_request(job["request"], (attempts.attempt_count or 0) + 1, attempts.priority)
			requeued.append(job["request"])
	return requeued


def live_bulk_jobs() -> list[dict]:
	"""This site's started bulk jobs that are not stuck (read after the dead ones were moved)."""
	if "bulk" not in configured_queues():
		return []
	return [
		describe(job, started, "")
		for job, started in started_jobs("bulk")
		if job.kwargs.get("site") == frappe.local.site
	]


def reset_to_queued(request_names: list[str]) -> list[str]:
	"""Processing -> Queued in one conditional UPDATE per request; the names that moved."""
	moved = []
	for name in request_names:
		frappe.db.sql(
			"""update `tabAccount Creation Request` set status = 'Queued', modified = %(now)s
			where name = %(name)s and status = 'Processing'""",
			{"name": name, "now": now_datetime()},
		)
		if frappe.db._cursor.rowcount == 1:
			moved.append(name)
	return moved


def record_action(action: str, result: dict) -> str:
	"""Keep who did what and when, with the exact result."""
	doc = frappe.get_doc(
		{
			"doctype": ACTION,
			"action": action,
			"performed_by": frappe.session.user,
			"performed_at": now_datetime(),
			"summary": _(
				"{0} stuck jobs moved to failed, {1} requests re-queued, {2} recovered after the threshold"
			).format(
				len(result["jobs_moved_to_failed"]),
				len(result["requests_requeued"]),
				result["requests_recovered_after_threshold"],
			),
			"result": json.dumps(result, default=str, indent=1),
		}
	)
	doc.insert()
	return doc.name


def stuck_requests(threshold_minutes: int) -> int:
	"""Requests Processing for longer than the threshold (their worker may be gone)."""
	cutoff = now_datetime() - timedelta(minutes=threshold_minutes)
	return frappe.db.count(REQUEST, {"status": "Processing", "modified": ("<=", cutoff)})
