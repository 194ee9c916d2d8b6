"""Bulk Operation Tracker: counts derived from its requests in one atomic statement.

Counts are never incremented from a loaded document: each refresh recomputes them from
the requests table, so concurrent batches, retries and repeated refreshes cannot drift.
"""

import json

import frappe
from frappe.utils import now_datetime

from verenigingen.account_creation import TRACKER
from verenigingen.core import bulk_progress
from verenigingen.core.bulk_progress import RequestCounts

PROGRESS_EVENT = "verenigingen_bulk_progress"


def create_tracker(total: int, batch_size: int, batches_total: int, priority: str, send_welcome_emails: bool,
	source_import_doctype: str | None = None, source_import: str | None = None) -> str:
	tracker = frappe.get_doc(
		{
			"doctype": TRACKER,
			"operation_type": "Account Creation",
			"status": bulk_progress.QUEUED,
			"requested_by": frappe.session.user,
			"total": total,
			"batch_size": batch_size,
			"batches_total": batches_total,
			"priority": priority,
			"send_welcome_emails": int(bool(send_welcome_emails)),
			"source_import_doctype": source_import_doctype if source_import else None,
			"source_import": source_import,
		}
	)
	tracker.insert()
	return tracker.name


def read_counts(tracker_name: str) -> RequestCounts:
	row = frappe.db.sql(
		"""select count(*) as total,
			coalesce(sum(status = 'Completed'), 0) as successful,
			coalesce(sum(status = 'Failed' and next_retry_at is null), 0) as failed,
			coalesce(sum(status = 'Failed' and next_retry_at is not null), 0) as waiting_for_retry,
			coalesce(sum(status = 'Cancelled'), 0) as cancelled
		from `tabAccount Creation Request` where tracker = %(tracker)s""",
		{"tracker": tracker_name},
		as_dict=True,
	)[0]
	return RequestCounts(**{key: int(value) for key, value in row.items()})


def refresh_tracker(tracker_name: str, unless_refreshed_within: float | None = None) -> dict:
	"""Recompute counts, batches, status, rate and ETA; freeze them once finished. Commits.

	With ``unless_refreshed_within`` (seconds) it does nothing when the tracker was written
	that recently, or within the run's live recount interval, so several workers' live updates
	cost one recount, not one each, and a large run's recounts stay a small share of the database.
	"""
	now = now_datetime()
	# Lock the tracker row so two workers finishing at once write in turn.
	current = frappe.db.get_value(
		TRACKER, tracker_name,
		["status", "started_at", "finished_at", "cancel_requested", "paused", "paused_at", "paused_seconds", "modified",
			"total"],
		as_dict=True, for_update=True,
	)
	if not current:
		return {}
	if not bulk_progress.recount_due((now - current.modified).total_seconds(), unless_refreshed_within, current.total):
		frappe.db.commit()  # release the row lock at once
		return {}
	counts = read_counts(tracker_name)
	paused = bool(current.paused)
	status = bulk_progress.derive_status(counts, bool(current.cancel_requested), paused)
	values = _count_values(tracker_name, counts)
	if current.finished_at:
		# A finished tracker keeps its frozen figures; a retry clears finished_at first.
		values = {"error_summary": values["error_summary"]}
	else:
		started_at = current.started_at or (now if counts.processed or status == bulk_progress.PROCESSING else None)
		# While paused the rate stays as it was at the pause; earlier pauses do not count as work.
		until = current.paused_at if paused and current.paused_at else now
		rate = bulk_progress.rate_per_minute(counts.processed, started_at, until, current.paused_seconds or 0)
		values.update(status=status, started_at=started_at, rate_per_minute=rate or 0)
		if status in bulk_progress.FINISHED_STATUSES:
			# The member in hand at a pause may have been the last one: the run is simply done.
			values.update(finished_at=now, eta=None, paused=0, paused_at=None)
		elif paused:
			values["eta"] = None
		else:
			values["eta"] = bulk_progress.estimate_finish(counts.open, rate, now)
	frappe.db.set_value(TRACKER, tracker_name, values, update_modified=True)
	# Commit here: a tracker refresh is its own small transaction, after the request's.
	frappe.db.commit()
	publish_progress(tracker_name)
	return values


def _count_values(tracker_name: str, counts: RequestCounts) -> dict:
	return {
		"total": counts.total,
		"processed": counts.processed,
		"successful": counts.successful,
		"failed": counts.failed,
		"waiting_for_retry": counts.waiting_for_retry,
		"cancelled": counts.cancelled,
		"batches_done": _batches_done(tracker_name),
		"error_summary": json.dumps(_error_summary(tracker_name), ensure_ascii=False, indent=1),
	}


def _batches_done(tracker_name: str) -> int:
	"""Batches none of whose requests is still open (derived, so re-runs never double count)."""
	return int(
		frappe.db.sql(
			"""select count(*) from (
				select batch_number from `tabAccount Creation Request` where tracker = %(tracker)s
				group by batch_number
				having sum(status in ('Requested', 'Queued', 'Processing')) = 0
			) as finished_batches""",
			{"tracker": tracker_name},
		)[0][0]
	)


def _error_summary(tracker_name: str) -> dict[str, int]:
	rows = frappe.db.sql(
		"""select failure_reason, count(*) from `tabAccount Creation Request`
		where tracker = %(tracker)s and status = 'Failed' group by failure_reason""",
		{"tracker": tracker_name},
	)
	return bulk_progress.sort_error_counts({reason or "": int(count) for reason, count in rows})


def publish_progress(tracker_name: str) -> None:
	"""Tell open tracker forms to reload their figures (the state itself is stored)."""
	doc = frappe.db.get_value(TRACKER, tracker_name, ["total", "processed", "status"], as_dict=True)
	frappe.publish_realtime(
		PROGRESS_EVENT,
		{"tracker": tracker_name, "total": doc.total, "processed": doc.processed, "status": doc.status},
		doctype=TRACKER,
		docname=tracker_name,
	)


def is_halted(tracker_name: str) -> bool:
	"""True once the run was cancelled or paused: its batch jobs start no further member."""
	# Plain SQL: asked before every member, where the query builder's field parsing costs more than the read.
	row = frappe.db.sql(
		"select cancel_requested, paused from `tabBulk Operation Tracker` where name = %s", (tracker_name,)
	)
	return bool(row and (row[0][0] or row[0][1]))


def paused_trackers() -> set[str]:
	"""Runs an operator paused: recovery and the retry scheduler leave their requests alone."""
	return set(frappe.get_all(TRACKER, filters={"paused": 1}, pluck="name"))


def members_waiting() -> list[dict]:
	"""Requests Queued or Processing per tracker (None: single requests), from the status index.

	A paused run's members wait for an operator, not for a worker: they are left out.
	"""
	return frappe.db.sql(
		"""select r.tracker, sum(r.status = 'Queued') as queued, sum(r.status = 'Processing') as processing
		from `tabAccount Creation Request` r left join `tabBulk Operation Tracker` t on t.name = r.tracker
		where r.status in ('Queued', 'Processing') and coalesce(t.paused, 0) = 0
		group by r.tracker order by r.tracker""",
		as_dict=True,
	)
