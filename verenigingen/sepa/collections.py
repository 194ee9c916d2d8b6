"""Direct Debit Batch: the members due, a preview, the pain.008 file, submission and bank outcomes."""

import re
from collections import Counter

import frappe
from frappe import _
from frappe.utils import flt, getdate, now_datetime

from verenigingen.core.sepa import collection as rules
from verenigingen.core.sepa import compliance
from verenigingen.core.sepa.accounts import check_iban, mask_iban
from verenigingen.core.sepa.mandates import FIRST, RECURRING
from verenigingen.core.sepa.pain008 import Collection, build_pain008
from verenigingen.sepa import BANK_SUBMISSION, BATCH, BATCH_GENERATION, MANDATE, PAYMENT_PROCESSING
from verenigingen.sepa.amendments import pending_amendments, set_pending
from verenigingen.sepa.audit import new_trace_id, record_event
from verenigingen.sepa.batch_status import (
	DRAFT,
	GENERATED,
	PROCESSED,
	SUBMITTED,
	refuse_after_notification,
	require_status,
)
from verenigingen.sepa.creditor import creditor_from_settings
from verenigingen.sepa.submission_rules import check_lead_time, check_ready_for_bank

OUTCOMES = ("Collected", "Rejected", "Reversed")
_REASON_CODE = re.compile(r"^[A-Z0-9]{4}$")


def batch_in_status(batch_name: str, *statuses: str):
	"""The batch, when the user may change it and its status allows the next step."""
	doc = frappe.get_doc(BATCH, batch_name)
	doc.check_permission("write")
	require_status(doc, *statuses)
	return doc


def mandated_members() -> list[dict]:
	"""Every member with an Active mandate, with what a collection needs, in one query."""
	return frappe.db.sql(
		"""select m.name, m.full_name, m.contribution_amount, m.contribution_period, m.member_since,
			sm.name as mandate, sm.signature_date, sm.sequence_type, sm.iban
		from `tabMember` m join `tabSEPA Mandate` sm on sm.member = m.name and sm.status = 'Active'
		where m.status = 'Active' order by m.name""",
		as_dict=True,
	)


def collected_periods(batch_name: str) -> set[tuple[str, str]]:
	"""``(member, period)`` pairs already in another batch, so no period is collected twice."""
	rows = frappe.db.sql(
		"""select e.member, e.period_key from `tabDirect Debit Batch Entry` e
		where e.parenttype = 'Direct Debit Batch' and e.parent != %(batch)s""",
		{"batch": batch_name},
	)
	return {(member, key) for member, key in rows}


def fill_batch(batch_name: str, due_source=None) -> dict:
	"""Put the members due on the collection date in a draft batch, audit it, return the preview.

	``due_source(doc, members)`` may give the entries instead of the members' amounts (the
	ERPNext integration: outstanding contribution invoices, each entry naming its invoice).
	"""
	doc = batch_in_status(batch_name, DRAFT)
	refuse_after_notification(doc)
	check_lead_time(doc)
	members = {row.name: row for row in mandated_members() if row.signature_date}
	if due_source:
		due = due_source(doc, members)
	else:
		due = rules.select_due(list(members.values()), getdate(doc.collection_date), collected_periods(doc.name))
	amendments = pending_amendments([item.mandate for item in due])
	max_amount = flt(frappe.get_cached_doc("Verenigingen Settings").get("max_collection_amount"))
	doc.trace_id = new_trace_id()
	doc.set("entries", [])
	for number, item in enumerate(due, 1):
		member = members[item.member]
		amount = item.amount_cents / 100
		doc.append(
			"entries",
			{
				"member": item.member,
				"member_name": member.full_name,
				"mandate": item.mandate,
				"iban_masked": mask_iban(member.iban),
				"amount": amount,
				"period_key": item.period_key,
				"sales_invoice": item.invoice,
				"sequence_type": member.sequence_type,
				"amendment": amendments[item.mandate].kind if item.mandate in amendments else None,
				"end_to_end_id": f"{doc.name}-{number}"[:35],
				"compliance_status": compliance.entry_verdict(
					amount, max_amount, check_iban(member.iban).valid, member.signature_date
				),
			},
		)
	doc.compliance_status = compliance.worst(row.compliance_status for row in doc.entries)
	doc.save()
	_audit_entries(doc, max_amount)
	return preview(doc)


def _audit_entries(doc, max_amount: float) -> None:
	"""One event for the batch; one more for each entry that is not simply Compliant."""
	for row in doc.entries:
		if row.compliance_status != compliance.COMPLIANT:
			record_entry_event(
				doc, row, BATCH_GENERATION, "Entry Flagged", row.compliance_status, max_collection_amount=max_amount
			)
	record_batch_event(
		doc,
		BATCH_GENERATION,
		"Batch Filled",
		doc.compliance_status,
		doc.name,
		details=preview(doc),
	)


def record_batch_event(
	doc, process_type: str, action: str, verdict: str, entity: str, details: dict, sensitive: bool = False
) -> str:
	"""One audit event of this batch's operation (its trace id), referring to the batch."""
	return record_event(
		process_type,
		action,
		verdict,
		entity_name=entity,
		reference_doctype=BATCH,
		reference_name=doc.name,
		trace_id=doc.trace_id,
		details=details,
		sensitive_data=sensitive,
	)


def record_entry_event(doc, row, process_type: str, action: str, verdict: str, **details) -> str:
	"""One audit event about one member's entry of this batch (member, mandate, amount, masked IBAN)."""
	return record_batch_event(
		doc,
		process_type,
		action,
		verdict,
		f"{doc.name} / {row.member}",
		sensitive=True,
		details={
			"member": row.member,
			"mandate": row.mandate,
			"amount": row.amount,
			"iban": row.iban_masked,
			**details,
		},
	)


def preview(doc) -> dict:
	"""Totals for the user before the file is made."""
	totals = rules.batch_totals([rules.to_cents(row.amount) for row in doc.entries])
	return {
		**totals,
		"collection_date": str(doc.collection_date),
		"by_sequence_type": dict(Counter(row.sequence_type for row in doc.entries)),
		"by_period": dict(Counter((row.period_key or "?")[0] for row in doc.entries)),
		"by_compliance": dict(Counter(row.compliance_status for row in doc.entries)),
	}


def generate_file(batch_name: str) -> dict:
	"""Make the pain.008.001.02 file (schema-validated by sepaxml), store it privately, audit it."""
	doc = batch_in_status(batch_name, DRAFT)
	if not doc.entries:
		frappe.throw(_("Direct Debit Batch {0} has no entries").format(doc.name))
	check_lead_time(doc)
	creditor = creditor_from_settings()
	xml = build_pain008(creditor, getdate(doc.collection_date), _collections(doc))
	file = frappe.get_doc(
		{"doctype": "File", "file_name": f"{doc.name}-pain.008.001.02.xml", "content": xml, "is_private": 1}
	).insert()
	doc.update(
		{
			"xml_file": file.name,
			"status": GENERATED,
			"generated_at": now_datetime(),
			"message_id": _message_id(xml),
		}
	)
	doc.save()
	totals = preview(doc)
	record_batch_event(
		doc,
		BATCH_GENERATION,
		"File Generated",
		doc.compliance_status,
		doc.name,
		details={"schema": "pain.008.001.02", "schema_valid": True, "message_id": doc.message_id, **totals},
	)
	return totals


def _collections(doc) -> list[Collection]:
	mandates = {
		row.name: row
		for row in frappe.get_all(
			MANDATE,
			filters={"name": ("in", [e.mandate for e in doc.entries])},
			fields=["name", "iban", "bic", "signature_date", "sequence_type"],
			limit_page_length=0,
		)
	}
	amendments = pending_amendments([row.mandate for row in doc.entries if row.amendment])
	return [
		Collection(
			row.member_name or row.member,
			mandates[row.mandate].iban,
			mandates[row.mandate].bic or "",
			rules.to_cents(row.amount),
			row.mandate,
			getdate(mandates[row.mandate].signature_date),
			row.sequence_type or FIRST,
			_("Contributie {0}").format(row.period_key)
			+ (f" {row.get('sales_invoice')}" if row.get("sales_invoice") else ""),
			row.end_to_end_id,
			amendments.get(row.mandate) if row.amendment else None,
		)
		for row in doc.entries
	]


def _message_id(xml: bytes) -> str:
	match = re.search(rb"<MsgId>([^<]+)</MsgId>", xml)
	return match.group(1).decode() if match else ""


def mark_submitted(batch_name: str) -> dict:
	"""The file went to the bank: FRST mandates become RCUR for the next collection; audited."""
	doc = batch_in_status(batch_name, GENERATED)
	check_ready_for_bank(doc)
	doc.update({"status": SUBMITTED, "submitted_at": now_datetime(), "submitted_by": frappe.session.user})
	doc.save()
	first = [row.mandate for row in doc.entries if row.sequence_type == FIRST]
	for name in first:
		_set_sequence(name, RECURRING, doc.collection_date)
	for row in doc.entries:
		if row.amendment:
			set_pending(row.mandate, False)
	record_batch_event(
		doc,
		BANK_SUBMISSION,
		"Submitted to Bank",
		compliance.COMPLIANT,
		doc.name,
		details={
			"message_id": doc.message_id,
			"count": doc.entry_count,
			"total": doc.total_amount,
			"first_collections": len(first),
			"amendments": sum(1 for row in doc.entries if row.amendment),
			"notice_days": doc.get("agreed_notice_days") if doc.get("agreed_notice_at") else None,
		},
	)
	return {"batch": doc.name, "status": doc.status}


def _set_sequence(mandate_name: str, sequence_type: str, collected_on) -> None:
	mandate = frappe.get_doc(MANDATE, mandate_name)
	mandate.sequence_type = sequence_type
	mandate.first_collected_on = collected_on if sequence_type == RECURRING else None
	mandate.save()


def record_outcome(
	batch_name: str, member: str, status: str, reason_code: str | None = None, end_to_end_id: str | None = None
) -> dict:
	"""A bank outcome for one entry: a reject or reversal is audited as Failed with its reason code."""
	if status not in OUTCOMES:
		frappe.throw(_("Outcome must be one of {0}").format(", ".join(OUTCOMES)))
	reason_code = (reason_code or "").strip().upper()
	if status != "Collected" and not _REASON_CODE.match(reason_code):
		frappe.throw(
			_("A rejected or reversed collection needs its four-character reason code (e.g. AC04, MD06)")
		)
	doc = batch_in_status(batch_name, SUBMITTED, PROCESSED)
	# a member may have several entries (one per outstanding invoice): the end-to-end id picks one
	row = next(
		(e for e in doc.entries if e.member == member and (not end_to_end_id or e.end_to_end_id == end_to_end_id)),
		None,
	)
	if not row:
		frappe.throw(_("Member {0} is not in Direct Debit Batch {1}").format(member, doc.name))
	row.status, row.reason_code = status, reason_code if status != "Collected" else None
	if all(entry.status != "Pending" for entry in doc.entries):
		doc.status = PROCESSED
	doc.save()
	if status == "Rejected" and row.sequence_type == FIRST:
		_set_sequence(row.mandate, FIRST, None)  # a rejected first collection must be sent as FRST again
	if status == "Rejected" and row.amendment:
		set_pending(row.mandate, True)  # the banks did not take the change in: report it again
	verdict = compliance.outcome_verdict(status)
	record_batch_event(
		doc,
		PAYMENT_PROCESSING,
		f"Collection {status}",
		verdict,
		f"{doc.name} / {member}",
		sensitive=True,
		details={
			"member": member,
			"mandate": row.mandate,
			"amount": row.amount,
			"reason_code": reason_code,
			"iban": row.iban_masked,
			"end_to_end_id": row.end_to_end_id,
			"sales_invoice": row.get("sales_invoice"),
		},
	)
	return {"batch": doc.name, "member": member, "status": status, "compliance_status": verdict}
