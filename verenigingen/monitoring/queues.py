"""The RQ queues as Frappe names them (bench-prefixed): job counts, oldest job, workers, members waiting.

Registries are read with ZCARD/ZRANGE, not rq's ``count``/``get_job_ids``: those run rq's cleanup
first, and a status read must not move jobs. Only ``stuck_jobs.clear_stuck_jobs`` moves jobs.
"""

from datetime import datetime, timezone

import frappe
from frappe.utils import now_datetime
from frappe.utils.background_jobs import generate_qname, get_queue, get_queues_timeout
from redis.exceptions import RedisError
from rq import Worker
from rq.job import Job
from rq.registry import DeferredJobRegistry, FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry

from verenigingen.account_creation.jobs import process_alive
from verenigingen.core.queue_health import oldest_age_seconds

QUEUES = ("bulk", "long", "default", "short")
# The oldest queued job is looked for among the first jobs of the list (at_front jobs jump ahead).
OLDEST_SAMPLE = 20
REGISTRIES = {
	"started": StartedJobRegistry,
	"failed": FailedJobRegistry,
	"scheduled": ScheduledJobRegistry,
	"deferred": DeferredJobRegistry,
}


def configured_queues() -> list[str]:
	"""The queues of ``QUEUES`` this bench has (``bulk`` only once common_site_config declares it)."""
	known = get_queues_timeout()
	return [queue for queue in QUEUES if queue in known]


def count_workers(queue_type: str) -> int | None:
	"""Workers registered for the queue; None when Redis or the queue cannot be read."""
	try:
		return len(Worker.all(queue=get_queue(queue_type)))
	except (RedisError, frappe.ValidationError):
		return None


def queue_status(queue_type: str) -> dict:
	"""Counts per state, the oldest queued job's age and the workers of one queue."""
	queue = get_queue(queue_type)
	connection = queue.connection
	counts = {state: connection.zcard(registry(queue=queue).key) for state, registry in REGISTRIES.items()}
	first_jobs = Job.fetch_many(queue.get_job_ids(0, OLDEST_SAMPLE), connection=connection)
	return {
		"queue": queue_type,
		"rq_name": generate_qname(queue_type),
		"queued": queue.count,
		**counts,
		"oldest_queued_seconds": oldest_age_seconds(
			[_naive(job.enqueued_at) for job in first_jobs if job], utc_now()
		),
		"workers": [worker_info(worker) for worker in Worker.all(queue=queue)],
	}


def worker_info(worker: Worker) -> dict:
	"""What Redis knows about a worker, and whether its process is alive (when it runs here)."""
	return {
		"name": worker.name,
		"pid": worker.pid,
		"hostname": worker.hostname,
		"state": worker.get_state(),
		"current_job": worker.get_current_job_id(),
		"last_heartbeat_utc": _naive(worker.last_heartbeat),
		"heartbeat_age_seconds": _age_seconds(worker.last_heartbeat),
		"alive": process_alive(worker.hostname, worker.pid),
	}


def members_waiting() -> list[dict]:
	"""Requests Queued or Processing per tracker (None: single requests), from the status index."""
	return frappe.db.sql(
		"""select tracker, sum(status = 'Queued') as queued, sum(status = 'Processing') as processing
		from `tabAccount Creation Request` where status in ('Queued', 'Processing')
		group by tracker order by tracker""",
		as_dict=True,
	)


def all_queue_status() -> dict:
	"""Every configured queue's status and the members waiting for an account."""
	waiting = [
		{**row, "queued": int(row.queued), "processing": int(row.processing)} for row in members_waiting()
	]
	return {
		"queues": {queue: queue_status(queue) for queue in configured_queues()},
		"members_waiting": sum(row["queued"] + row["processing"] for row in waiting),
		"members_waiting_per_tracker": waiting,
		"checked_at": now_datetime(),
	}


def utc_now() -> datetime:
	"""rq stores its times in UTC without a zone: compare them with this."""
	return datetime.now(timezone.utc).replace(tzinfo=None)


def _naive(moment):
	return moment.replace(tzinfo=None) if moment and moment.tzinfo else moment


def _age_seconds(moment) -> float | None:
	return round((utc_now() - _naive(moment)).total_seconds(), 1) if moment else None
