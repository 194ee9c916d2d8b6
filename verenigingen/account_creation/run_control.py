"""Pausing and resuming a bulk account run.

A pause is a flag on the tracker that the batch jobs read before each member, as they read a
cancel: the member in hand finishes, no other starts, the jobs end. The requests stay Queued, so
nothing is lost, and recovery and the retry scheduler leave a paused run alone. Resume clears the
flag and enqueues a new generation of batch jobs for the Queued requests, in batch order: the run
goes on where it stopped, and a claim takes each request once, so nothing runs twice.

Each is one conditional UPDATE: doing it again changes nothing and says so.
"""

import time

import frappe
from frappe import _
from frappe.utils import now_datetime

from verenigingen.account_creation import TRACKER
from verenigingen.account_creation.batches import requeue_open_requests
from verenigingen.account_creation.tracker import publish_progress, refresh_tracker

# Mandate runs (sepa/mandate_run.py) share the tracker but their batches do not read the flag.
PAUSABLE_OPERATIONS = ("Account Creation",)
STATE_FIELDS = ["name", "operation_type", "status", "paused", "paused_at", "cancel_requested", "finished_at"]


def pause_run(tracker_name: str) -> dict:
	"""Pause a running or queued account run; a second pause only says it is paused already."""
	now = now_datetime()
	frappe.db.sql(
		"""update `tabBulk Operation Tracker`
		set paused = 1, paused_at = %(now)s, paused_by = %(user)s, status = 'Paused', eta = null, modified = %(now)s
		where name = %(name)s and operation_type in %(pausable)s and paused = 0 and cancel_requested = 0
			and finished_at is null""",
		{"name": tracker_name, "now": now, "user": frappe.session.user, "pausable": PAUSABLE_OPERATIONS},
	)
	changed = frappe.db._cursor.rowcount == 1
	current = _state(tracker_name)
	if changed:
		publish_progress(tracker_name)
		message = _("Run {0} is paused: the member in hand finishes, no other starts").format(tracker_name)
	elif current.paused:
		message = _("Run {0} was already paused").format(tracker_name)
	else:
		_refuse(current, _("paused"))
	return {"tracker": tracker_name, "status": current.status, "changed": changed, "message": message}


def resume_run(tracker_name: str) -> dict:
	"""Go on with a paused run where it stopped; resuming a run that is not paused changes nothing."""
	now = now_datetime()
	frappe.db.sql(
		"""update `tabBulk Operation Tracker`
		set paused_seconds = coalesce(paused_seconds, 0) + if(started_at is null, 0,
				greatest(timestampdiff(second, greatest(paused_at, started_at), %(now)s), 0)),
			paused = 0, paused_at = null, modified = %(now)s
		where name = %(name)s and paused = 1 and finished_at is null""",
		{"name": tracker_name, "now": now},
	)
	changed = frappe.db._cursor.rowcount == 1
	requeued = 0
	if changed:
		# A generation of its own (milliseconds): a batch job of the paused run that is still
		# queued or ending must not make Frappe's deduplication drop the new one.
		requeued = requeue_open_requests(tracker_name, int(time.time() * 1000))
		refresh_tracker(tracker_name)  # commits: the new jobs are enqueued after this commit
	current = _state(tracker_name)
	if changed:
		message = _("Run {0} resumed: {1} requests queued again").format(tracker_name, requeued)
	elif current.operation_type in PAUSABLE_OPERATIONS and not current.finished_at and not current.cancel_requested:
		message = _("Run {0} is not paused ({1}): nothing to resume").format(tracker_name, _(current.status))
	else:
		_refuse(current, _("resumed"))
	return {"tracker": tracker_name, "status": current.status, "changed": changed, "requeued": requeued,
		"message": message}


def _state(tracker_name: str):
	current = frappe.db.get_value(TRACKER, tracker_name, STATE_FIELDS, as_dict=True)
	if not current:
		frappe.throw(_("Bulk Operation Tracker {0} not found").format(tracker_name), frappe.DoesNotExistError)
	return current


def _refuse(current, action: str) -> None:
	"""Why this run cannot be paused or resumed, as a clear message."""
	if current.operation_type not in PAUSABLE_OPERATIONS:
		frappe.throw(
			_("Run {0} is a {1} run; only account creation runs can be {2}").format(
				current.name, _(current.operation_type), action
			)
		)
	if current.cancel_requested:
		frappe.throw(_("Run {0} was cancelled; it cannot be {1}").format(current.name, action))
	frappe.throw(
		_("Run {0} has finished ({1}) and cannot be {2}").format(current.name, _(current.status), action)
	)
