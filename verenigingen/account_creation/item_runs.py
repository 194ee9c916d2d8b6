"""Tracker runs over plain items (members, batch entries): one tracker, batches on the `bulk` queue.

The mandate run (sepa/mandate_run.py) and the ERPNext runs (erpnext/runs.py) create their run
here: the tracker, a Bulk Operation Batch row per batch of ``bulk_batch_size`` items (what its job
does, and whether it is done), then one job per batch with a stable job id (a second enqueue is a
no-op), enqueued after commit. Their job bodies and how they count differ.

A batch whose job is neither waiting in the queue nor running on a live worker, and that is not
done, lost its job (Redis flushed, a worker killed): the scheduler's watch enqueues it again under
a new generation (``recover_lost_item_batches``). The work of each item is idempotent, so a batch
run twice finds its finished items done, and ``finish_item_batch`` counts a batch once.
"""

import json
import re
from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import now_datetime

from verenigingen.account_creation import BATCH, BULK_QUEUE, TRACKER
from verenigingen.account_creation.jobs import live_bulk_job_ids
from verenigingen.account_creation.site_activity import record_run_activity
from verenigingen.core import bulk_progress
from verenigingen.core.batching import split_into_batches

QUEUED, DONE = "Queued", "Done"
# A batch's job is enqueued right after its run's commit (Frappe's after-commit callbacks): a batch
# written this recently may still be getting it. A dead worker's running job is told by the worker's
# liveness (jobs.running_job_ids: the process table here, the heartbeat elsewhere), not by this.
LOST_BATCH_GRACE_SECONDS = 10
GENERATION_SUFFIX = re.compile(r"-r\d+$")
BATCH_FIELDS = ("name", "creation", "modified", "owner", "modified_by", "docstatus", "tracker", "batch_number",
	"status", "item_count", "generation", "job_id", "job_method", "job_kwargs")


def queue_item_run(operation_type: str, items: list[str], job: str, job_id_prefix: str, batch_kwargs,
	source_import: str | None = None, source_import_doctype: str | None = None, **tracker_values) -> dict:
	"""Create the tracker and its batches; enqueue ``job(**batch_kwargs(tracker, number, group))`` per batch."""
	settings = frappe.get_cached_doc("Verenigingen Settings")
	batch_size = settings.bulk_batch_size or 50
	groups = split_into_batches(items, batch_size)
	tracker = frappe.get_doc(
		{
			"doctype": TRACKER,
			"operation_type": operation_type,
			"status": bulk_progress.QUEUED,
			"requested_by": frappe.session.user,
			"total": len(items),
			"batch_size": batch_size,
			"batches_total": len(groups),
			"priority": "Low",
			"source_import_doctype": source_import_doctype if source_import else None,
			"source_import": source_import,
			**tracker_values,
		}
	).insert()
	now, user = now_datetime(), frappe.session.user
	batches = [
		(number, f"{job_id_prefix}-{tracker.name}-b{number}", len(group), batch_kwargs(tracker.name, number, group))
		for number, group in enumerate(groups, 1)
	]
	# The batches are the system's own record of the run (nobody creates them by hand): written as
	# rows in one statement, as Frappe writes its logs, after the tracker the user may create.
	frappe.db.bulk_insert(BATCH, BATCH_FIELDS, [
		(f"{tracker.name}-b{number}", now, now, user, user, 0, tracker.name, number, QUEUED, count, 0, job_id, job,
			json.dumps(kwargs))
		for number, job_id, count, kwargs in batches
	])
	# A run counts as the site's activity, so Frappe's scheduler (and with it this run's recovery)
	# does not wait a day on a site nobody logged in to (site_activity.py).
	record_run_activity(tracker.name, _("Bulk run {0} ({1}) started for {2} items").format(
		tracker.name, _(operation_type), len(items)))
	for _number, job_id, _count, kwargs in batches:
		enqueue_batch_job(job, job_id, kwargs)
	return {"tracker": tracker.name, "queued": len(items), "batches": len(groups)}


def enqueue_batch_job(job: str, job_id: str, kwargs: dict) -> None:
	timeout = frappe.get_cached_doc("Verenigingen Settings").bulk_worker_timeout or 3600
	frappe.enqueue(job, queue=BULK_QUEUE, timeout=timeout, job_id=job_id, deduplicate=True,
		enqueue_after_commit=True, **kwargs)


def base_job_id(job_id: str) -> str:
	"""A batch's job id without its generation suffix (``-r<n>``)."""
	return GENERATION_SUFFIX.sub("", job_id)


def finish_item_batch(tracker_name: str, batch_number: int | None) -> bool:
	"""Mark the batch done; True only for the call that did (a batch run twice is counted once).

	A job enqueued before its run had batch rows (``batch_number`` None, or no row) counts as before.
	"""
	if batch_number is None:
		return True
	frappe.db.sql(
		f"""update `tab{BATCH}` set status = %(done)s, done_at = %(now)s, modified = %(now)s
		where tracker = %(tracker)s and batch_number = %(number)s and status != %(done)s""",
		{"done": DONE, "now": now_datetime(), "tracker": tracker_name, "number": batch_number},
	)
	if frappe.db._cursor.rowcount == 1:
		return True
	return not frappe.db.exists(BATCH, {"tracker": tracker_name, "batch_number": batch_number})


def lost_item_batches(tracker_name: str | None = None, now=None) -> list[dict]:
	"""Batches of open, unpaused runs (or of one), not done, whose job is neither queued nor on a live worker."""
	now = now or now_datetime()
	# Names and job ids only (from the status index): a batch job of a large run asks this at its end,
	# while most of its run's batches still wait; the job's arguments are read for a lost one alone.
	rows = frappe.db.sql(
		f"""select b.name, b.generation, b.job_id
		from `tab{BATCH}` b join `tab{TRACKER}` t on t.name = b.tracker
		where b.status = %(queued)s and b.modified < %(cutoff)s and t.status in %(open)s
			and coalesce(t.paused, 0) = 0 and coalesce(t.cancel_requested, 0) = 0
			{"and b.tracker = %(tracker)s" if tracker_name else ""}""",
		{"queued": QUEUED, "cutoff": now - timedelta(seconds=LOST_BATCH_GRACE_SECONDS),
			"open": (bulk_progress.QUEUED, bulk_progress.PROCESSING), "tracker": tracker_name},
		as_dict=True,
	)
	if not rows:
		return []
	live = live_bulk_job_ids()
	return [row for row in rows if row.job_id not in live]


def recover_lost_item_batches(tracker_name: str | None = None) -> int:
	"""Enqueue the lost batches (of every open run, or of one) again, each under its next generation;
	return how many. Commits.

	The scheduler's watch calls it every few seconds, and each batch job of a run at its end for its
	own run (a job that finishes after Redis was flushed brings the rest of its run back at once).
	Safe to repeat and to run in two places at once: a batch moves to its next generation only from
	the generation it was read at, and only the process that moved it enqueues it.
	"""
	recovered = 0
	for row in lost_item_batches(tracker_name):
		generation = (row.generation or 0) + 1
		job_id = f"{base_job_id(row.job_id)}-r{generation}"
		frappe.db.sql(
			f"""update `tab{BATCH}` set generation = %(next)s, job_id = %(job)s, modified = %(now)s
			where name = %(name)s and status = %(queued)s and generation = %(generation)s""",
			{"next": generation, "job": job_id, "now": now_datetime(), "name": row.name, "queued": QUEUED,
				"generation": row.generation or 0},
		)
		if frappe.db._cursor.rowcount == 1:
			method, kwargs = frappe.db.get_value(BATCH, row.name, ["job_method", "job_kwargs"])
			enqueue_batch_job(method, job_id, json.loads(kwargs))
			recovered += 1
	frappe.db.commit()  # the jobs are enqueued after this commit
	return recovered

