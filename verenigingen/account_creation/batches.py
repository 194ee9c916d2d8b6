"""Bulk batches on the `bulk` queue: enqueueing and the batch job body."""

import time

import frappe

from verenigingen.account_creation import BULK_QUEUE, INDIVIDUAL_QUEUE, REQUEST, TRACKER
from verenigingen.account_creation.pipeline import AccountCreationManager
from verenigingen.account_creation.tracker import is_cancel_requested, refresh_tracker
from verenigingen.account_creation.user_factory import quiet_user_side_effects
from verenigingen.core.batching import batch_job_id

# Live progress about once a second; the final refresh of every batch makes the counts exact.
REFRESH_INTERVAL_SECONDS = 1.0
BATCH_JOB = "verenigingen.utils.account_creation_manager.process_bulk_account_creation_batch"
REQUEST_JOB = "verenigingen.utils.account_creation_manager.process_account_creation_request"


def enqueue_batch(tracker_name: str, batch_number: int, request_names: list[str], generation: int = 0) -> None:
	"""Queue one batch after commit; its job id makes a second enqueue a no-op."""
	settings = frappe.get_cached_doc("Verenigingen Settings")
	frappe.enqueue(
		BATCH_JOB,
		queue=BULK_QUEUE,
		timeout=settings.bulk_worker_timeout or 3600,
		job_id=batch_job_id(tracker_name, batch_number, generation),
		deduplicate=True,
		enqueue_after_commit=True,
		tracker_name=tracker_name,
		batch_number=batch_number,
		request_names=request_names,
	)


def enqueue_request(request_name: str, attempt: int, priority: str = "Normal") -> None:
	"""Queue a single request on the short queue, so it never waits behind a bulk run."""
	frappe.enqueue(
		REQUEST_JOB,
		queue=INDIVIDUAL_QUEUE,
		job_id=f"verenigingen-account-{request_name}-a{attempt}",
		deduplicate=True,
		enqueue_after_commit=True,
		at_front=priority == "High",
		request_name=request_name,
	)


def run_batch(tracker_name: str, request_names: list[str]) -> dict:
	"""Process a batch's requests one after another in this job's own Frappe context."""
	results = {}
	mark_started(tracker_name)
	last_refresh = time.monotonic()
	with quiet_user_side_effects():
		for request_name in request_names:
			results[request_name] = run_as_requester(request_name)
			if time.monotonic() - last_refresh >= REFRESH_INTERVAL_SECONDS:
				refresh_tracker(tracker_name)
				last_refresh = time.monotonic()
				# Cancelled requests are skipped by their claim anyway; this just stops early.
				if is_cancel_requested(tracker_name):
					break
	refresh_tracker(tracker_name)
	return results


def mark_started(tracker_name: str) -> None:
	"""The first batch to start sets the start time (conditional UPDATE: safe to repeat)."""
	frappe.db.sql(
		"""update `tabBulk Operation Tracker` set started_at = %(now)s, status = 'Processing'
		where name = %(name)s and started_at is null""",
		{"name": tracker_name, "now": frappe.utils.now_datetime()},
	)
	# Commit so the rate and ETA of every other batch count from this moment.
	frappe.db.commit()


def run_as_requester(request_name: str) -> str:
	"""Process a request with the permissions of the user who asked for it."""
	job_user = frappe.session.user
	requester = frappe.db.get_value(REQUEST, request_name, "requested_by")
	if requester and requester != job_user:
		frappe.set_user(requester)
	try:
		return AccountCreationManager(request_name).process()
	finally:
		if frappe.session.user != job_user:
			frappe.set_user(job_user)


def requeue_open_requests(tracker_name: str, generation: int) -> int:
	"""Enqueue a new-generation batch per batch number with Queued requests (recovery)."""
	rows = frappe.get_all(
		REQUEST, filters={"tracker": tracker_name, "status": "Queued"}, fields=["name", "batch_number"],
		order_by="name asc", limit_page_length=0,
	)
	by_batch: dict[int, list[str]] = {}
	for row in rows:
		by_batch.setdefault(row.batch_number or 0, []).append(row.name)
	for batch_number, names in by_batch.items():
		enqueue_batch(tracker_name, batch_number, names, generation)
	if by_batch:
		frappe.db.set_value(TRACKER, tracker_name, {"finished_at": None}, update_modified=False)
	return len(rows)
