"""Payments of a collected Direct Debit Batch, and bank returns that undo them.

Booking: one Payment Entry per invoice entry of the batch that was not rejected, reconciling its
Sales Invoice; a bulk run, one entry per item, idempotent under the entry's row lock (an entry
with a Payment Entry is skipped). A return (pain.002 reject or camt.054 return, recorded by
``collections.record_outcome``) of a booked entry cancels its Payment Entry, so the invoice is
outstanding again and a later batch collects it; the SEPA Audit Log gets an event for each.
"""

import frappe
from frappe import _
from frappe.utils import getdate, today

from verenigingen.core.contributions import payable_entries, returned_entries
from verenigingen.core.sepa import compliance
from verenigingen.erpnext import ENTRY_INVOICE, ENTRY_PAYMENT, PAYMENT_RUN, erpnext_installed, require_erpnext
from verenigingen.erpnext.runs import queue_run
from verenigingen.erpnext.settings import accounting_settings
from verenigingen.sepa import BATCH, BATCH_ENTRY, PAYMENT_PROCESSING
from verenigingen.sepa.batch_status import PROCESSED, SUBMITTED
from verenigingen.sepa.collections import batch_in_status, record_batch_event

ENTRY_FIELDS = ["name", "parent", "member", "amount", "status", "end_to_end_id", "iban_masked", ENTRY_INVOICE, ENTRY_PAYMENT]


def queue_payment_run(batch_name: str) -> dict:
	"""The batch was collected: queue Payment Entries for its invoice entries not rejected or booked."""
	require_erpnext()
	for ptype in ("create", "submit"):
		frappe.has_permission("Payment Entry", ptype, throw=True)
	accounting_settings()
	doc = batch_in_status(batch_name, SUBMITTED, PROCESSED)
	entries = payable_entries([row.as_dict() for row in doc.entries])
	result = queue_run(PAYMENT_RUN, [row["name"] for row in entries], {"batch_name": batch_name})
	record_batch_event(
		doc,
		PAYMENT_PROCESSING,
		"Payments Queued",
		compliance.COMPLIANT,
		doc.name,
		details={"entries": len(entries), "tracker": result["tracker"]},
	)
	return {**result, "batch": batch_name}


def book_entry_payment(entry_name: str, batch_name: str) -> str | None:
	"""Submit the Payment Entry of one collected entry (None when it has one already)."""
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	settings = accounting_settings()
	row = frappe.db.get_value(BATCH_ENTRY, entry_name, ENTRY_FIELDS, as_dict=True, for_update=True)
	if not row or row.parent != batch_name:
		frappe.throw(_("Entry {0} is not in Direct Debit Batch {1}").format(entry_name, batch_name))
	if row.get(ENTRY_PAYMENT):
		return None
	if row.status in ("Rejected", "Reversed"):
		frappe.throw(_("The collection of {0} was {1}: no payment to book").format(row.member, _(row.status)))
	batch = frappe.db.get_value(BATCH, batch_name, ["collection_date", "trace_id", "name"], as_dict=True)
	posting = min(getdate(batch.collection_date), getdate(today()))
	payment = get_payment_entry(
		"Sales Invoice", row.get(ENTRY_INVOICE), party_amount=row.amount, bank_account=settings.bank_account
	)
	payment.update(
		{
			"posting_date": posting,
			"reference_no": row.end_to_end_id,
			"reference_date": posting,
			"remarks": _("SEPA direct debit {0}, {1}").format(batch_name, row.end_to_end_id),
		}
	)
	payment.insert()
	payment.submit()
	frappe.db.set_value(BATCH_ENTRY, entry_name, {ENTRY_PAYMENT: payment.name, "status": "Collected"})
	if not frappe.db.exists(BATCH_ENTRY, {"parent": batch_name, "status": ("in", ("Pending", ""))}):
		frappe.db.set_value(BATCH, batch_name, "status", PROCESSED)
	record_batch_event(
		batch,
		PAYMENT_PROCESSING,
		"Payment Booked",
		compliance.COMPLIANT,
		f"{batch_name} / {row.member}",
		details={"member": row.member, "sales_invoice": row.get(ENTRY_INVOICE), "payment_entry": payment.name,
			"amount": row.amount, "end_to_end_id": row.end_to_end_id},
	)
	return payment.name


def on_batch_update(doc, method=None) -> None:
	"""Direct Debit Batch hook: an entry just rejected or reversed loses its payment (cancelled), audited."""
	if not erpnext_installed() or not frappe.get_meta(BATCH_ENTRY).has_field(ENTRY_PAYMENT):
		return
	before = doc.get_doc_before_save()
	if not before:
		return
	previous = {row.name: row.status for row in before.entries}
	for row in returned_entries(previous, [row.as_dict() for row in doc.entries]):
		payment = frappe.get_doc("Payment Entry", row["payment_entry"])
		if payment.docstatus == 1:
			payment.cancel()
		record_batch_event(
			doc,
			PAYMENT_PROCESSING,
			"Payment Cancelled",
			compliance.EXCEPTION,
			f"{doc.name} / {row['member']}",
			sensitive=True,
			details={
				"member": row["member"],
				"sales_invoice": row.get(ENTRY_INVOICE),
				"payment_entry": payment.name,
				"amount": row.get("amount"),
				"status": row.get("status"),
				"reason_code": row.get("reason_code"),
				"end_to_end_id": row.get("end_to_end_id"),
				"iban": row.get("iban_masked"),
				"invoice_outstanding": frappe.db.get_value("Sales Invoice", row.get(ENTRY_INVOICE), "outstanding_amount"),
			},
		)
