"""Direct Debit Batch validation: totals follow the entries; a generated file freezes the batch."""

import frappe
from frappe import _
from frappe.utils import flt, getdate, today

DRAFT, GENERATED, SUBMITTED, PROCESSED = "Draft", "Generated", "Submitted", "Processed"


def validate_batch(doc) -> None:
	"""Recount the totals; refuse a collection date in the past while the batch is a draft."""
	doc.status = doc.status or DRAFT
	if doc.status == DRAFT and doc.collection_date and getdate(doc.collection_date) < getdate(today()):
		frappe.throw(_("The collection date {0} lies in the past").format(doc.collection_date))
	doc.entry_count = len(doc.entries)
	doc.total_amount = sum(flt(row.amount) for row in doc.entries)


def require_status(doc, *allowed: str) -> None:
	"""Refuse a step that does not follow from the batch's current status."""
	if doc.status not in allowed:
		frappe.throw(
			_("Direct Debit Batch {0} is {1}; this needs {2}").format(
				doc.name, _(doc.status), " / ".join(_(s) for s in allowed)
			)
		)
