"""Tracker runs over plain items (members, batch entries): one tracker, batches on the `bulk` queue.

The mandate run (sepa/mandate_run.py) and the ERPNext runs (erpnext/runs.py) create their run
here: the tracker, then one job per batch of ``bulk_batch_size`` items with a stable job id (a
second enqueue is a no-op), enqueued after commit. Their job bodies and how they count differ.
"""

import frappe

from verenigingen.account_creation import BULK_QUEUE, TRACKER
from verenigingen.core import bulk_progress
from verenigingen.core.batching import split_into_batches


def queue_item_run(operation_type: str, items: list[str], job: str, job_id_prefix: str, batch_kwargs,
	source_import: str | None = None, source_import_doctype: str | None = None, **tracker_values) -> dict:
	"""Create the tracker and enqueue ``job(**batch_kwargs(tracker, number, group))`` per batch."""
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
	for number, group in enumerate(groups, 1):
		frappe.enqueue(
			job,
			queue=BULK_QUEUE,
			timeout=settings.bulk_worker_timeout or 3600,
			job_id=f"{job_id_prefix}-{tracker.name}-b{number}",
			deduplicate=True,
			enqueue_after_commit=True,
			**batch_kwargs(tracker.name, number, group),
		)
	return {"tracker": tracker.name, "queued": len(items), "batches": len(groups)}
