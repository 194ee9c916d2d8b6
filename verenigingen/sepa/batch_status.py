"""Direct Debit Batch validation: totals follow the entries; a generated file freezes the batch."""

import frappe
from frappe import _
from frappe.utils import flt, getdate, today

DRAFT, GENERATED, SUBMITTED, PROCESSED = "Draft", "Generated", "Submitted", "Processed"
NOT_SENT, QUEUED, SENT, INCOMPLETE = "Not Sent", "Queued", "Sent", "Incomplete"
AGREED_NOTICE_FIELDS = ("agreed_notice_days", "agreed_notice_reason", "agreed_notice_by", "agreed_notice_at")
# Only verenigingen.sepa.prenotification holds it (JSON from a request can never produce it), so the
# shorter notice period is set only through the audited method.
NOTICE_RECORDER = object()


def validate_batch(doc) -> None:
	"""Recount the totals; refuse a collection date in the past while the batch is a draft."""
	doc.status = doc.status or DRAFT
	doc.notification_status = doc.notification_status or NOT_SENT
	if doc.status == DRAFT and doc.collection_date and getdate(doc.collection_date) < getdate(today()):
		frappe.throw(_("The collection date {0} lies in the past").format(doc.collection_date))
	_refuse_unrecorded_changes(doc)
	doc.entry_count = len(doc.entries)
	doc.total_amount = sum(flt(row.amount) for row in doc.entries)


def _refuse_unrecorded_changes(doc) -> None:
	"""The members were told the date: it stays; the agreed notice period changes only when audited."""
	if doc.is_new():
		if any(doc.get(field) for field in AGREED_NOTICE_FIELDS) and not _recording(doc):
			frappe.throw(_("Record a shorter notice period with the button on the saved batch"))
		return
	before = doc.get_doc_before_save()
	if not before:
		return
	moved = getdate(before.collection_date) != getdate(doc.collection_date)
	if moved and doc.notification_status != NOT_SENT:
		frappe.throw(
			_(
				"The members have been notified of collection date {0}; make a new batch for another date"
			).format(before.collection_date)
		)
	# compared as text: a Desk save sends dates and numbers as strings
	changed = [f for f in AGREED_NOTICE_FIELDS if str(before.get(f) or "") != str(doc.get(f) or "")]
	if changed and not _recording(doc):
		frappe.throw(_("The agreed notice period can only be recorded with Record Shorter Notice Period"))


def _recording(doc) -> bool:
	return doc.flags.get("notice_recorder") is NOTICE_RECORDER


def refuse_after_notification(doc) -> None:
	"""Refilling would drop entries whose members were already told about this collection."""
	if (doc.notification_status or NOT_SENT) != NOT_SENT:
		frappe.throw(
			_(
				"Pre-notifications of Direct Debit Batch {0} have gone out; its members can no longer change"
			).format(doc.name)
		)


def require_status(doc, *allowed: str) -> None:
	"""Refuse a step that does not follow from the batch's current status."""
	if doc.status not in allowed:
		frappe.throw(
			_("Direct Debit Batch {0} is {1}; this needs {2}").format(
				doc.name, _(doc.status), " / ".join(_(s) for s in allowed)
			)
		)
