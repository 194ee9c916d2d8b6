"""Bulk batches on the `bulk` queue: enqueueing and the batch job body."""

import time

import frappe
from frappe.utils.background_jobs import get_queue
from redis.exceptions import RedisError

from verenigingen.account_creation import BULK_QUEUE, INDIVIDUAL_QUEUE, REQUEST, TRACKER
from verenigingen.account_creation.pipeline import CLAIMABLE, AccountCreationManager
from verenigingen.account_creation.tracker import is_halted, refresh_tracker
from verenigingen.account_creation.user_factory import quiet_user_side_effects
from verenigingen.core import bulk_progress
from verenigingen.core.batching import batch_job_id, batch_of_job, may_take_more_batches
from verenigingen.shared.queues import count_workers, take_off_queue

# Live progress about once a second (one recount for all workers); the final refresh of
# every job makes the counts exact.
REFRESH_INTERVAL_SECONDS = bulk_progress.LIVE_RECOUNT_MIN_SECONDS
# How many of a run's highest batches with a Queued request a finished job looks at for one to take on.
WAITING_BATCH_LOOKS = 3
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
	"""Process a batch's requests one after another in this job's own Frappe context.

	Then, in the first half of the job's timeout, go on with batches of the same run whose
	jobs have not started: a job's first account costs about half a second more than the
	others (imports, metadata), so a warm job saves that for every batch it takes on. Those
	batches' own jobs would find nothing left to claim: once such a batch is done, they are taken
	off the queue (at 50,000 members about a thousand of them kept the next run waiting minutes).
	"""
	job_started = time.monotonic()
	timeout = frappe.get_cached_doc("Verenigingen Settings").bulk_worker_timeout or 3600
	results = {}
	if is_halted(tracker_name):
		return results  # paused or cancelled before this job started; resume enqueues new jobs
	mark_started(tracker_name)
	live = LiveRefresh(tracker_name)
	with quiet_user_side_effects():
		pending, taken_on = request_names, None
		while pending and process_requests(tracker_name, pending, results, live):
			if taken_on is not None:
				drop_idle_batch_jobs(tracker_name, taken_on)
			if not may_take_more_batches(time.monotonic() - job_started, timeout):
				break
			taken_on, pending = waiting_batch(tracker_name)
	refresh_tracker(tracker_name)
	return results


class LiveRefresh:
	"""The tracker's live counts, recounted about once a second over every batch a job takes on.

	A batch of 50 can take less than a second, so the interval runs across batches: counted per
	batch, a job working off batch after batch would never refresh until it ends.
	"""

	def __init__(self, tracker_name: str):
		self.tracker_name, self.last = tracker_name, time.monotonic()

	def after_member(self) -> None:
		if time.monotonic() - self.last >= REFRESH_INTERVAL_SECONDS:
			refresh_tracker(self.tracker_name, unless_refreshed_within=REFRESH_INTERVAL_SECONDS)
			self.last = time.monotonic()


def process_requests(tracker_name: str, request_names: list[str], results: dict, live: LiveRefresh | None = None) -> bool:
	"""Process the claimable requests in order; False when the run was paused or cancelled meanwhile.

	The run's state is read before each member (one primary-key read, next to a member's ~20 ms), so
	a pause lets the member in hand finish and starts no other.
	"""
	live = live or LiveRefresh(tracker_name)
	# Frappe's per-connection cache of looked-up values keeps an entry per member (the new User's
	# link checks); a job working off batch after batch starts each batch without them.
	frappe.db.value_cache.clear()
	claimable = {
		row.name: row.requested_by
		for row in frappe.get_all(
			REQUEST, filters={"name": ("in", request_names), "status": ("in", CLAIMABLE)},
			fields=["name", "requested_by"], limit_page_length=0,
		)
	}
	for request_name in request_names:
		if request_name not in claimable:
			results[request_name] = "Skipped"
			continue
		# Cancelled requests are skipped by their claim anyway; a paused run's stay Queued for the resume.
		if is_halted(tracker_name):
			return False
		results[request_name] = run_as_requester(request_name, claimable[request_name])
		live.after_member()
	return True


def waiting_batch(tracker_name: str) -> tuple[int | None, list[str]]:
	"""The run's highest-numbered batch that has not started at all (all still Queued) and its requests.

	Looks at the highest batches with a Queued request (through the tracker, status and batch index),
	at most WAITING_BATCH_LOOKS of them: below those, the batches' own jobs are about to start anyway.
	"""
	below = None
	for _ in range(WAITING_BATCH_LOOKS):
		below_condition = "" if below is None else "and batch_number < %(below)s"
		number = frappe.db.sql(
			f"""select max(batch_number) from `tabAccount Creation Request`
			where tracker = %(tracker)s and status = 'Queued' {below_condition}""",
			{"tracker": tracker_name, "below": below},
		)[0][0]
		if number is None:
			return None, []
		# Each other status named, so the index gives the answer (a != reads every row of the run).
		started = frappe.db.sql(
			"""select count(*) from `tabAccount Creation Request`
			where tracker = %(tracker)s and status in %(others)s and batch_number = %(number)s""",
			{"tracker": tracker_name, "number": number, "others": other_statuses("Queued")},
		)[0][0]
		if not started:
			return number, frappe.get_all(
				REQUEST, filters={"tracker": tracker_name, "status": "Queued", "batch_number": number},
				pluck="name", order_by="name asc", limit_page_length=0,
			)
		below = number
	return None, []


def drop_idle_batch_jobs(tracker_name: str, batch_number: int) -> int:
	"""Take the waiting jobs of a batch another job has done off the queue; how many.

	Only once the batch is done: until then its own job is what recovers the batch if the job that
	took it on dies. Any generation's job of the batch goes (a resume or recovery enqueues new ones).
	"""
	prefix = f"{frappe.local.site}::"
	try:
		queue = get_queue(BULK_QUEUE)
		idle = [
			job_id for job_id in (raw.decode() for raw in queue.connection.lrange(queue.key, 0, -1))
			if job_id.startswith(prefix) and batch_of_job(job_id.removeprefix(prefix)) == (tracker_name, batch_number)
		]
		return take_off_queue(BULK_QUEUE, idle)
	except RedisError:
		return 0  # the idle job then runs, finds nothing to claim and ends: only time is lost


def other_statuses(status: str) -> tuple[str, ...]:
	options = frappe.get_meta(REQUEST).get_field("status").options.split("\n")
	return tuple(option for option in options if option and option != status)


def mark_started(tracker_name: str) -> None:
	"""The first batch to start sets the start time (conditional UPDATE: safe to repeat)."""
	frappe.db.sql(
		"""update `tabBulk Operation Tracker` set started_at = %(now)s,
			status = if(paused = 1, status, 'Processing'), bulk_workers = %(workers)s
		where name = %(name)s and started_at is null""",
		# The worker count is kept with the run, so analytics can compare rates per worker count.
		{"name": tracker_name, "now": frappe.utils.now_datetime(), "workers": count_workers(BULK_QUEUE)},
	)
	# Commit so the rate and ETA of every other batch count from this moment.
	frappe.db.commit()


def run_single(request_name: str) -> str:
	"""Job body of a single request: the same User side-effect handling as a bulk batch."""
	with quiet_user_side_effects():
		return run_as_requester(request_name)


def run_as_requester(request_name: str, requester: str | None = None) -> str:
	"""Process a request with the permissions of the user who asked for it."""
	job_user = frappe.session.user
	requester = requester or frappe.db.get_value(REQUEST, request_name, "requested_by")
	if requester and requester != job_user:
		frappe.set_user(requester)
	try:
		return AccountCreationManager(request_name).process()
	finally:
		if frappe.session.user != job_user:
			frappe.set_user(job_user)


def requeue_open_requests(tracker_name: str, generation: int, batch_number: int | None = None) -> int:
	"""Enqueue a new-generation batch per batch number with Queued requests (recovery); only that
	batch's with ``batch_number``."""
	filters = {"tracker": tracker_name, "status": "Queued"}
	if batch_number is not None:
		filters["batch_number"] = batch_number
	rows = frappe.get_all(
		REQUEST, filters=filters, fields=["name", "batch_number"], order_by="name asc", limit_page_length=0,
	)
	by_batch: dict[int, list[str]] = {}
	for row in rows:
		by_batch.setdefault(row.batch_number or 0, []).append(row.name)
	for batch_number, names in by_batch.items():
		enqueue_batch(tracker_name, batch_number, names, generation)
	if by_batch:
		frappe.db.set_value(TRACKER, tracker_name, {"finished_at": None}, update_modified=False)
	return len(rows)
