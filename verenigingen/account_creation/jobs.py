"""Which bulk runs still have a job that will reach their requests: running on a live worker, or queued."""

import frappe
from frappe.utils.background_jobs import get_queue
from rq import Worker
from rq.registry import StartedJobRegistry

from verenigingen.account_creation import BULK_QUEUE
from verenigingen.core.batching import tracker_of_batch_job
from verenigingen.shared.queues import process_alive


def trackers_with_running_jobs() -> set[str]:
	"""Trackers with a batch job started by a worker that is alive: only such a job finishes a
	request it has claimed (Processing).

	Read without rq's registry cleanup (a read must not move jobs). A started job whose worker
	is gone (killed: its process no longer exists here) does not count.
	"""
	queue = get_queue(BULK_QUEUE)
	started = {job_id.decode() for job_id in queue.connection.zrange(StartedJobRegistry(queue=queue).key, 0, -1)}
	running = {
		worker.get_current_job_id() for worker in Worker.all(queue=queue) if _worker_alive(worker)
	}
	return _trackers_of(started & running)


def trackers_with_waiting_jobs() -> set[str]:
	"""Trackers with a batch job waiting in the queue: it will claim their Queued requests."""
	return _trackers_of(get_queue(BULK_QUEUE).get_job_ids())


def _trackers_of(job_ids) -> set[str]:
	# Frappe names a job "<site>::<job id>"; workers serve every site of the bench.
	prefix = f"{frappe.local.site}::"
	site_jobs = (job_id.removeprefix(prefix) for job_id in job_ids if job_id and job_id.startswith(prefix))
	return {tracker for tracker in map(tracker_of_batch_job, site_jobs) if tracker}


def _worker_alive(worker: Worker) -> bool:
	"""A worker counts as alive unless its process is known to be gone."""
	return process_alive(worker.hostname, worker.pid) is not False
