"""Which bulk runs still have a job that will reach their requests: queued, or running on a live worker."""

import os
import socket

import frappe
import psutil
from frappe.utils.background_jobs import get_queue
from rq import Worker
from rq.registry import StartedJobRegistry

from verenigingen.account_creation import BULK_QUEUE
from verenigingen.core.batching import tracker_of_batch_job


def trackers_with_live_jobs() -> set[str]:
	"""Trackers with a batch job waiting in the queue or started by a worker that is alive.

	Read without rq's registry cleanup (a read must not move jobs). A started job whose worker
	is gone (killed: its process no longer exists here) no longer counts.
	"""
	queue = get_queue(BULK_QUEUE)
	job_ids = set(queue.get_job_ids())
	started = {job_id.decode() for job_id in queue.connection.zrange(StartedJobRegistry(queue=queue).key, 0, -1)}
	for worker in Worker.all(queue=queue):
		current = worker.get_current_job_id()
		if current in started and _worker_alive(worker):
			job_ids.add(current)
	# Frappe names a job "<site>::<job id>"; workers serve every site of the bench.
	prefix = f"{frappe.local.site}::"
	site_jobs = (job_id.removeprefix(prefix) for job_id in job_ids if job_id.startswith(prefix))
	return {tracker for tracker in map(tracker_of_batch_job, site_jobs) if tracker}


def _worker_alive(worker: Worker) -> bool:
	"""A worker on this host is alive when its process is; one elsewhere is taken as alive."""
	if worker.hostname != socket.gethostname() or not worker.pid:
		return True
	if worker.pid == os.getpid():
		return True
	try:
		return psutil.Process(worker.pid).status() != psutil.STATUS_ZOMBIE
	except psutil.NoSuchProcess:
		return False
