"""Retries: due transient failures back to Queued, stuck requests recovered, manual retries."""

from datetime import timedelta

import frappe
from frappe.utils import now_datetime

from verenigingen.account_creation import REQUEST, TRACKER
from verenigingen.account_creation.batches import enqueue_batch, enqueue_request, requeue_open_requests
from verenigingen.account_creation.jobs import (
	HEARTBEAT_GRACE_SECONDS,
	claim_states,
	trackers_with_running_jobs,
	trackers_with_waiting_jobs,
)
from verenigingen.account_creation.tracker import paused_trackers, refresh_tracker
from verenigingen.core.claims import DEAD, UNKNOWN

DUE_LIMIT = 2000
# A run none of whose jobs is queued or running on a live worker (Redis lost them, or their
# workers died) is picked up again once its open requests have been untouched this long: rq's
# heartbeat interval and a margin (core.claims), the time it takes to tell a silent worker gone.
# A claimed request is judged by its claim at once (claim_states); claims make a late writer harmless.
LOST_JOB_GRACE_SECONDS = HEARTBEAT_GRACE_SECONDS


def select_due_requests(now=None, limit: int = DUE_LIMIT) -> list[dict]:
	"""Failed requests whose transient retry time has come; a paused run's wait for its resume."""
	return frappe.db.sql(
		"""select r.name, r.tracker, r.batch_number, r.attempt_count, r.priority
		from `tabAccount Creation Request` r
		left join `tabBulk Operation Tracker` t on t.name = r.tracker
		where r.status = 'Failed' and r.next_retry_at <= %(now)s and coalesce(t.paused, 0) = 0
		order by r.next_retry_at asc limit %(limit)s""",
		{"now": now or now_datetime(), "limit": limit},
		as_dict=True,
	)


def requeue(request_name: str, only_due: bool) -> bool:
	"""Failed -> Queued in one conditional UPDATE; False when the request was not in that state."""
	values = {"name": request_name, "now": now_datetime()}
	if only_due:
		frappe.db.sql(
			"""update `tabAccount Creation Request` set status = 'Queued', next_retry_at = null, modified = %(now)s
			where name = %(name)s and status = 'Failed' and next_retry_at is not null and next_retry_at <= %(now)s""",
			values,
		)
	else:
		frappe.db.sql(
			"""update `tabAccount Creation Request` set status = 'Queued', next_retry_at = null, modified = %(now)s
			where name = %(name)s and status = 'Failed'""",
			values,
		)
	return frappe.db.get_value(REQUEST, request_name, "status") == "Queued"


def retry_due_requests() -> int:
	"""Move due transient failures back to Queued and enqueue them; return how many."""
	due = select_due_requests()
	retried = [row for row in due if requeue(row.name, only_due=True)]
	enqueue_retries(retried)
	return len(retried)


def enqueue_retries(rows: list[dict]) -> None:
	by_tracker: dict[str, list] = {}
	for row in rows:
		if row.tracker:
			by_tracker.setdefault(row.tracker, []).append(row)
		else:
			enqueue_request(row.name, (row.attempt_count or 0) + 1, row.priority)
	for tracker_name, tracker_rows in by_tracker.items():
		frappe.db.set_value(TRACKER, tracker_name, {"finished_at": None}, update_modified=False)
		generation = max(row.attempt_count or 0 for row in tracker_rows) + 1
		by_batch: dict[int, list[str]] = {}
		for row in tracker_rows:
			by_batch.setdefault(row.batch_number or 0, []).append(row.name)
		for batch_number, names in by_batch.items():
			enqueue_batch(tracker_name, batch_number, names, generation)


def recover_stuck_requests(stuck_after_minutes: int) -> int:
	"""Requests left Processing by a killed worker go back to Queued and are enqueued again.

	Safe to repeat: a request that finished in the meantime is no longer Processing, and a
	claim only takes Queued requests, so nothing is processed twice. After a short grace,
	Processing requests of runs with no job running on a live worker, and Queued requests of
	runs with no job running or waiting (a flushed or restarted Redis, killed workers), are
	recovered; any other only after ``stuck_after_minutes``. A paused run's Queued requests wait
	for its resume on purpose: its requests left Processing go back to Queued, none is enqueued.
	"""
	if stuck_after_minutes < 0:
		raise ValueError("stuck_after_minutes must not be negative")
	now = now_datetime()
	cutoff = now - timedelta(minutes=stuck_after_minutes)
	lost_cutoff = now - timedelta(seconds=LOST_JOB_GRACE_SECONDS)
	running = trackers_with_running_jobs()
	stuck = stuck_processing_requests(now, cutoff, lost_cutoff, running)
	for row in stuck:
		frappe.db.sql(
			"""update `tabAccount Creation Request` set status = 'Queued', claimed_by = null, modified = %(now)s
			where name = %(name)s and status = 'Processing' and modified = %(modified)s""",
			{"name": row.name, "now": now_datetime(), "modified": row.modified},
		)
	live = running | trackers_with_waiting_jobs()
	orphaned = set(stale_queued_trackers(cutoff)) | (set(stale_queued_trackers(lost_cutoff)) - live)
	stuck_trackers = {row.tracker for row in stuck if row.tracker}
	paused = paused_trackers()
	generation = int(now_datetime().timestamp())
	# A run with no live job gets all its open requests enqueued again; a run whose other jobs go
	# on, only the batches its dead claimants held (its queued jobs still cover the rest).
	for tracker_name in (orphaned | (stuck_trackers - live)) - paused:
		requeue_open_requests(tracker_name, generation)
	for tracker_name, batch_number in {(row.tracker, row.batch_number) for row in stuck if row.tracker in live}:
		if tracker_name not in paused | orphaned:
			requeue_open_requests(tracker_name, generation, batch_number)
	single = frappe.get_all(
		REQUEST, filters={"status": "Queued", "modified": ("<=", max(cutoff, lost_cutoff)), "tracker": ("is", "not set")},
		fields=["name", "attempt_count", "priority"], limit_page_length=0,
	)
	for row in [r for r in stuck if not r.tracker] + single:
		# Same job id as the first enqueue of this attempt: a job still waiting or running is not
		# doubled (Frappe's deduplicate), a lost one is enqueued again.
		enqueue_request(row.name, (row.attempt_count or 0) + 1, row.priority)
	return len(stuck)


def stuck_processing_requests(now, cutoff, lost_cutoff, running: set[str]) -> list[dict]:
	"""Processing requests that no live process will finish (a queued job never takes them).

	A claimed request whose claimant is dead (its process gone here, its rq worker's heartbeat
	stopped or on another job elsewhere) at once; one that cannot be judged (no claim) after the
	grace when its run has no job on a live worker; any after the stuck threshold.
	"""
	rows = frappe.get_all(
		REQUEST, filters={"status": "Processing"},
		fields=["name", "tracker", "batch_number", "attempt_count", "priority", "modified", "claimed_by"],
		limit_page_length=0,
	)
	states = claim_states(rows, now)
	return [
		row for row in rows
		if row.modified <= cutoff or states[row.name] == DEAD
		or (states[row.name] == UNKNOWN and row.modified <= lost_cutoff and row.tracker not in running)
	]


def stale_queued_trackers(cutoff) -> list[str]:
	"""Trackers with Queued requests untouched since ``cutoff``: their batch job was lost."""
	return frappe.get_all(
		REQUEST, filters={"status": "Queued", "modified": ("<=", cutoff), "tracker": ("is", "set")},
		pluck="tracker", distinct=True, limit_page_length=0,
	)


def retry_tracker_failures(tracker_name: str) -> int:
	"""Manual: every Failed request of the tracker back to Queued, enqueued at once."""
	failed = frappe.get_all(
		REQUEST, filters={"tracker": tracker_name, "status": "Failed"},
		fields=["name", "tracker", "batch_number", "attempt_count", "priority"], limit_page_length=0,
	)
	retried = [row for row in failed if requeue(row.name, only_due=False)]
	enqueue_retries(retried)
	if retried:  # a paused run stays Paused: its retried requests wait for the resume
		frappe.db.sql(
			"update `tabBulk Operation Tracker` set status = 'Processing' where name = %(name)s and paused = 0",
			{"name": tracker_name},
		)
	return len(retried)


def clear_waiting_retries(tracker_name: str) -> int:
	"""Stop automatic retries for a tracker: waiting requests stay Failed for a human."""
	filters = {"tracker": tracker_name, "status": "Failed", "next_retry_at": ("is", "set")}
	waiting = frappe.db.count(REQUEST, filters)
	frappe.db.set_value(REQUEST, filters, "next_retry_at", None)
	return waiting


def retry_queue_status() -> list[dict]:
	"""Per tracker (or None for single requests): how many wait for a retry, and the next due time."""
	return frappe.db.sql(
		"""select tracker, count(*) as waiting, min(next_retry_at) as next_retry_at,
			max(attempt_count) as max_attempts
		from `tabAccount Creation Request` where status = 'Failed' and next_retry_at is not null
		group by tracker order by next_retry_at""",
		as_dict=True,
	)


def refresh_trackers(names) -> None:
	for name in {n for n in names if n}:
		refresh_tracker(name)
