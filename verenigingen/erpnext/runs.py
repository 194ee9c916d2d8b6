"""Bulk runs of the ERPNext integration: a Bulk Operation Tracker, batches on the `bulk` queue.

The same machinery as the mandate run (sepa/mandate_run.py): one tracker, batches of
``bulk_batch_size`` members with stable job ids, one job per batch, one transaction per member.
A batch writes its outcome (how many succeeded, which members failed and why) under its own
number in the tracker's Error Summary, under the tracker's row lock, and the counts are summed
from those: a batch run twice (Frappe retries a job after a deadlock) overwrites its own entry
and counts nothing twice. The work of each member is itself idempotent (keys, links), so a
repeated batch finds it done.
"""

import json

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
from verenigingen.shared.failures import reason_and_log

BATCH_JOB = "verenigingen.utils.erpnext_contributions.process_run_batch"
# operation type -> "module:function" doing one item: fn(item_name, **context) -> str | None (outcome)
WORKERS = {
	"Customer Creation": "verenigingen.erpnext.customers:ensure_customer",
	"Contribution Invoicing": "verenigingen.erpnext.invoices:invoice_member",
	"Contribution Payments": "verenigingen.erpnext.payments:book_entry_payment",
}


def queue_run(operation_type: str, items: list[str], context: dict | None = None, source_import: str | None = None,
	source_import_doctype: str | None = None) -> dict:
	"""Create a tracker and enqueue its batches (after commit); nothing when there is no item."""
	items = list(dict.fromkeys(items))
	if not items:
		return {"tracker": None, "queued": 0, "batches": 0}
	return queue_item_run(
		operation_type,
		items,
		BATCH_JOB,
		"verenigingen-erpnext",
		lambda tracker, number, group: {
			"tracker_name": tracker,
			"batch_number": number,
			"items": group,
			"context": context or {},
		},
		source_import=source_import,
		source_import_doctype=source_import_doctype,
		error_summary=json.dumps({"batches": {}}),
	)


def run_batch(tracker_name: str, batch_number: int, items: list[str], context: dict) -> dict:
	"""Job body: one item after another, each in a transaction of its own; then the batch's outcome."""
	operation = frappe.db.get_value(TRACKER, tracker_name, "operation_type")
	if not operation:
		return {}  # the run was deleted before its job started
	work = frappe.get_attr(WORKERS[operation].replace(":", "."))
	mark_started(tracker_name)
	successful, failed = 0, {}
	for item in items:
		frappe.db.savepoint("erpnext_run_item")
		try:
			work(item, **context)
			successful += 1
		except Exception as exc:  # noqa: BLE001 - one member's failure must not stop the batch
			frappe.db.rollback(save_point="erpnext_run_item")
			failed[item] = reason_and_log(exc, f"{operation} {tracker_name}: {item} failed", TRACKER, tracker_name)
		# Commit per item: a killed job leaves only whole items behind, and a rerun skips them.
		frappe.db.commit()
	finish_item_batch(tracker_name, batch_number)
	record_batch(tracker_name, batch_number, successful, failed)
	recover_lost_item_batches(tracker_name)
	return {"successful": successful, "failed": failed}


def record_batch(tracker_name: str, batch_number: int, successful: int, failed: dict[str, str]) -> dict:
	"""Store this batch's outcome under its number and recompute the run's counts. Commits."""
	now = now_datetime()
	current = frappe.db.get_value(
		TRACKER, tracker_name, ["total", "started_at", "finished_at", "error_summary"], as_dict=True, for_update=True
	)
	if not current:
		return {}
	summary = read_summary(current.error_summary)
	summary["batches"][str(batch_number)] = {"successful": successful, "failed": failed}
	ok = sum(batch["successful"] for batch in summary["batches"].values())
	bad = sum(len(batch["failed"]) for batch in summary["batches"].values())
	counts = bulk_progress.RequestCounts(total=current.total, successful=ok, failed=bad)
	values = {
		**bulk_progress.run_values(counts, current.started_at, current.finished_at, now),
		"batches_done": len(summary["batches"]),
		"error_summary": json.dumps(summary, ensure_ascii=False, indent=1, sort_keys=True),
	}
	frappe.db.set_value(TRACKER, tracker_name, values, update_modified=True)
	frappe.db.commit()
	return values


def read_summary(text: str | None) -> dict:
	try:
		summary = json.loads(text or "{}")
	except ValueError:
		summary = {}
	summary.setdefault("batches", {})
	return summary


def failures_of(tracker_name: str) -> dict[str, str]:
	"""Every failed item of a run with its reason."""
	summary = read_summary(frappe.db.get_value(TRACKER, tracker_name, "error_summary"))
	return {item: reason for batch in summary["batches"].values() for item, reason in batch["failed"].items()}
