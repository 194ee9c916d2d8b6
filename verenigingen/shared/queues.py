"""The RQ queues as Frappe names them (bench-prefixed): job counts, oldest job, workers.

Queues, registries and workers belong to the whole bench: every site's jobs are in them and every
worker serves every site. Each figure is therefore given for the bench, and beside it for this
site (by the site in the job id, ``<site>::<id>``).

Registries are read with ZRANGE, not rq's ``count``/``get_job_ids``: those run rq's cleanup first,
and a status read must not move jobs. Only ``monitoring.stuck_jobs.clear_stuck_jobs`` moves jobs.
"""

import os
import socket
from datetime import datetime, timezone

import frappe
import psutil
from frappe.utils.background_jobs import generate_qname, get_queue, get_queues_timeout
from redis.exceptions import RedisError
from rq import Worker
from rq.job import Job
from rq.registry import (
	DeferredJobRegistry,
	FailedJobRegistry,
	FinishedJobRegistry,
	ScheduledJobRegistry,
	StartedJobRegistry,
)

from verenigingen.core.queue_health import job_site, oldest_age_seconds, site_figures

QUEUES = ("bulk", "long", "default", "short")
# The oldest queued job is looked for among the first jobs of the list (at_front jobs jump ahead).
OLDEST_SAMPLE = 20
REGISTRIES = {
	"started": StartedJobRegistry,
	"failed": FailedJobRegistry,
	"scheduled": ScheduledJobRegistry,
	"deferred": DeferredJobRegistry,
}
BENCH = "bench"


def configured_queues() -> list[str]:
	"""The queues of ``QUEUES`` this bench has (``bulk`` only once common_site_config declares it)."""
	known = get_queues_timeout()
	return [queue for queue in QUEUES if queue in known]


def count_workers(queue_type: str) -> int | None:
	"""Live workers of the queue (whole bench); None when Redis or the queue cannot be read.

	A killed worker stays registered in Redis until its key expires (minutes): one whose process is
	gone from this host is left out; one on another host counts while its key lives.
	"""
	try:
		workers = Worker.all(queue=get_queue(queue_type))
	except (RedisError, frappe.ValidationError):
		return None
	return sum(1 for worker in workers if process_alive(worker.hostname, worker.pid) is not False)


def queue_status(queue_type: str) -> dict:
	"""Counts per state (whole bench, and this site's under ``site``), the oldest queued job's age
	and the workers of one queue."""
	queue = get_queue(queue_type)
	connection = queue.connection
	ids = {"queued": [job_id.decode() for job_id in connection.lrange(queue.key, 0, -1)]}
	for state, registry in REGISTRIES.items():
		ids[state] = [job_id.decode() for job_id in connection.zrange(registry(queue=queue).key, 0, -1)]
	first_jobs = Job.fetch_many(ids["queued"][:OLDEST_SAMPLE], connection=connection)
	workers = [worker_info(worker) for worker in Worker.all(queue=queue)]
	return {
		"queue": queue_type,
		"rq_name": generate_qname(queue_type),
		"scope": BENCH,
		**{state: len(job_ids) for state, job_ids in ids.items()},
		"site": {
			"name": frappe.local.site,
			**site_figures(ids, [worker["current_job"] for worker in workers], frappe.local.site),
		},
		"oldest_queued_seconds": oldest_age_seconds(
			[naive(job.enqueued_at) for job in first_jobs if job], utc_now()
		),
		"workers": workers,
	}


def worker_info(worker: Worker) -> dict:
	"""What Redis knows about a worker, and whether its process is alive (when it runs here)."""
	current_job = worker.get_current_job_id()
	return {
		"name": worker.name,
		"pid": worker.pid,
		"hostname": worker.hostname,
		"state": worker.get_state(),
		"current_job": current_job,
		"current_job_site": job_site(current_job),
		"last_heartbeat_utc": naive(worker.last_heartbeat),
		"heartbeat_age_seconds": age_seconds(worker.last_heartbeat),
		"alive": process_alive(worker.hostname, worker.pid),
	}


def process_alive(hostname: str | None, pid: int | None) -> bool | None:
	"""True/False for a process on this host; None when it runs elsewhere (cannot be told)."""
	if not pid or hostname != socket.gethostname():
		return None
	if pid == os.getpid():
		return True
	try:
		return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
	except psutil.NoSuchProcess:
		return False


def utc_now() -> datetime:
	"""rq stores its times in UTC without a zone: compare them with this."""
	return datetime.now(timezone.utc).replace(tzinfo=None)


def naive(moment):
	return moment.replace(tzinfo=None) if moment and moment.tzinfo else moment


def age_seconds(moment) -> float | None:
	return round((utc_now() - naive(moment)).total_seconds(), 1) if moment else None


def take_off_queue(queue_type: str, job_ids) -> int:
	"""Remove waiting jobs from a queue before any worker starts them; how many were removed.

	LREM and a worker's dequeue are each atomic in Redis: a job a worker already took is not in
	the list any more and is left alone.
	"""
	queue = get_queue(queue_type)
	removed = 0
	for job_id in job_ids:
		if queue.connection.lrem(queue.key, 0, job_id):
			queue.connection.delete(Job.key_for(job_id), Job.dependents_key_for(job_id))
			removed += 1
	return removed


def forget_jobs_of_an_earlier_site() -> int:
	"""Remove the app's jobs that a dropped site of this name left in Redis; the number removed.

	A new site has no jobs of its own, yet job ids carry only the site's name: a site dropped and
	made again (a test site, ``bench drop-site`` after a failed quickstart) would find its first
	runs' ids (``<site>::verenigingen-accounts-BOT-00001-b1``) taken by the old site's jobs, and
	Frappe's deduplicate would skip them, or a worker would run an old payload against new documents.
	"""
	prefix = f"{frappe.local.site}::verenigingen-"
	removed = 0
	for queue_type in configured_queues():
		queue = get_queue(queue_type)
		connection = queue.connection
		removed += take_off_queue(queue_type, [
			job_id for job_id in (raw.decode() for raw in connection.lrange(queue.key, 0, -1)) if job_id.startswith(prefix)
		])
		for registry in (*REGISTRIES.values(), FinishedJobRegistry):
			key = registry(queue=queue).key
			for job_id in (raw.decode() for raw in connection.zrange(key, 0, -1)):
				if job_id.startswith(prefix):
					connection.zrem(key, job_id)
					connection.delete(Job.key_for(job_id), Job.dependents_key_for(job_id))
					removed += 1
	return removed
