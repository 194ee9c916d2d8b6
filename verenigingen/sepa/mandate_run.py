"""Mandates for thousands of members: a Bulk Operation Tracker run, batches on the `bulk` queue.

The run's trace id is the tracker's name, so its audit events say which run they belong to, and
the tracker's counts are derived from those events (one outcome event per member), never
incremented: a repeated batch finds the mandate in place and records "Mandate Unchanged" for the
same member, which the distinct count does not add twice.
"""

import frappe
from frappe.utils import now_datetime

from verenigingen.account_creation import TRACKER
from verenigingen.account_creation.batches import mark_started
from verenigingen.account_creation.item_runs import (
	finish_item_batch,
	queue_item_run,
	recover_lost_item_batches,
)
from verenigingen.core import bulk_progress
from verenigingen.core.sepa import mandates as rules
from verenigingen.core.sepa.compliance import FAILED
from verenigingen.sepa import MANDATE, MANDATE_CREATION
from verenigingen.sepa.audit import record_event
from verenigingen.sepa.mandates import (
	MEMBER_FIELDS,
	OUTCOME_ACTIONS,
	REFUSED,
	active_mandates,
	ensure_mandate,
)
from verenigingen.shared.failures import reason_and_log

OPERATION_TYPE = "Mandate Creation"
BATCH_JOB = "verenigingen.utils.sepa_mandates.process_mandate_batch"
LOOKUP_CHUNK = 1000
# planned actions worth a job: a mandate to make or amend, or an invalid IBAN to record as Failed
WORK = (rules.CREATE, rules.AMEND)
REFRESH_INTERVAL_SECONDS = bulk_progress.LIVE_RECOUNT_MIN_SECONDS


def members_needing_mandates(member_names: list[str]) -> list[str]:
	"""The members whose stored values ask for a new or amended mandate, or carry an invalid IBAN."""
	needing = []
	for start in range(0, len(member_names), LOOKUP_CHUNK):
		chunk = member_names[start : start + LOOKUP_CHUNK]
		members = frappe.get_list(
			"Member", filters={"name": ("in", chunk)}, fields=list(MEMBER_FIELDS), limit_page_length=0
		)
		active = active_mandates([m.name for m in members])
		for member in members:
			plan = rules.plan_mandate(member, active[member.name].iban if member.name in active else None)
			if plan.action in WORK or (plan.action == rules.INELIGIBLE and plan.iban):
				needing.append(member.name)
	return needing


def queue_mandate_run(
	member_names: list[str], source_import: str | None = None, source_import_doctype: str | None = None
) -> dict:
	"""Create a tracker and enqueue batches for the members that need work; nothing when none do."""
	frappe.has_permission(MANDATE, "create", throw=True)
	names = members_needing_mandates(list(dict.fromkeys(member_names)))
	if not names:
		return {"tracker": None, "queued": 0, "batches": 0}
	return queue_item_run(
		OPERATION_TYPE,
		names,
		BATCH_JOB,
		"verenigingen-mandates",
		lambda tracker, number, group: {"tracker_name": tracker, "member_names": group, "batch_number": number},
		source_import=source_import,
		source_import_doctype=source_import_doctype,
	)


def run_mandate_batch(tracker_name: str, member_names: list[str], batch_number: int | None = None) -> dict:
	"""Job body: one member after another, each with its events in one transaction of its own."""
	if not frappe.db.exists(TRACKER, tracker_name):
		return {}  # the run was deleted before its job started: nothing to report to
	mark_started(tracker_name)
	results = {}
	for member_name in member_names:
		frappe.db.savepoint("sepa_mandate")
		try:
			results[member_name] = ensure_mandate(member_name, trace_id=tracker_name, tracker=tracker_name)
		except Exception as exc:  # noqa: BLE001 - one member's failure must not stop the batch
			frappe.db.rollback(save_point="sepa_mandate")
			results[member_name] = record_failure(member_name, exc, tracker_name)
		# Commit per member: a mandate and its audit events stand or fall together, and a killed job
		# leaves only whole members behind.
		frappe.db.commit()
	# A batch run again (its first job was presumed lost) is counted once.
	if finish_item_batch(tracker_name, batch_number):
		frappe.db.sql(
			"update `tabBulk Operation Tracker` set batches_done = batches_done + 1 where name = %(name)s",
			{"name": tracker_name},
		)
	batches_done, batches_total = frappe.db.get_value(TRACKER, tracker_name, ["batches_done", "batches_total"])
	# Live counts about once a second whatever the batch size (a large run's less often, see
	# bulk_progress.live_recount_interval): a recount reads every outcome event of the run, so one per
	# batch cost MariaDB twice as much per mandate at 50,000 as at 5,000. The batch that completes the
	# count recounts in any case: the run's final figures are exact.
	last = (batches_done or 0) >= (batches_total or 0)
	refresh_run(tracker_name, unless_refreshed_within=None if last else REFRESH_INTERVAL_SECONDS)
	if not last:
		recover_lost_item_batches(tracker_name)
	return results


def record_failure(member_name: str, exc: Exception, tracker_name: str) -> str:
	"""The member's outcome is Failed, with the reason; an unexpected error also goes to the Error Log."""
	title = f"SEPA mandate run {tracker_name}: member {member_name} failed"
	reason = reason_and_log(exc, title, TRACKER, tracker_name)
	record_event(
		MANDATE_CREATION,
		REFUSED,
		FAILED,
		entity_name=f"Member {member_name}",
		reference_doctype="Member",
		reference_name=member_name,
		details={"reason": reason},
		trace_id=tracker_name,
	)
	return reason


def read_run_counts(tracker_name: str, total: int) -> bulk_progress.RequestCounts:
	"""Members with an outcome event in this run, split into failed and the rest."""
	rows = frappe.db.sql(
		"""select compliance_status = 'Failed' as failed, count(distinct entity_name)
		from `tabSEPA Audit Log` where trace_id = %(trace)s and action in %(outcomes)s group by failed""",
		{"trace": tracker_name, "outcomes": OUTCOME_ACTIONS},
	)
	by_kind = {int(failed): int(count) for failed, count in rows}
	return bulk_progress.RequestCounts(total=total, successful=by_kind.get(0, 0), failed=by_kind.get(1, 0))


def refresh_run(tracker_name: str, unless_refreshed_within: float | None = None) -> dict:
	"""Recompute the run's counts, status, rate and ETA from its audit events. Commits.

	With ``unless_refreshed_within`` (seconds) it does nothing when the tracker was written that recently,
	or within the live recount interval of a run that size (its recount reads an event per member).
	"""
	now = now_datetime()
	current = frappe.db.get_value(
		TRACKER, tracker_name, ["total", "started_at", "finished_at", "modified"], as_dict=True, for_update=True
	)
	if not current:
		return {}
	if not bulk_progress.recount_due((now - current.modified).total_seconds(), unless_refreshed_within, current.total):
		frappe.db.commit()  # release the row lock at once
		return {}
	values = bulk_progress.run_values(
		read_run_counts(tracker_name, current.total), current.started_at, current.finished_at, now
	)
	frappe.db.set_value(TRACKER, tracker_name, values, update_modified=True)
	# Commit: the refresh is its own small transaction after the members'.
	frappe.db.commit()
	return values
