"""One member's mandate: create it, amend it when the IBAN changed, or record why it cannot be made."""

import frappe
from frappe.utils import today

from verenigingen.core.sepa import mandates as rules
from verenigingen.core.sepa.accounts import derive_bic, mask_iban
from verenigingen.core.sepa.compliance import COMPLIANT, FAILED, mandate_verdict
from verenigingen.sepa import MANDATE, MANDATE_CREATION
from verenigingen.sepa.amendments import replacement_terms
from verenigingen.sepa.audit import new_trace_id, record_event

MEMBER_FIELDS = ("name", "member_id", "full_name", "status", "iban", "contribution_amount", "member_since")
# the actions that close one member's part of a run (counted by the run's tracker)
CREATED, AMENDED, UNCHANGED, REFUSED = (
	"Mandate Created",
	"Mandate Amended",
	"Mandate Unchanged",
	"Mandate Refused",
)
OUTCOME_ACTIONS = (CREATED, AMENDED, UNCHANGED, REFUSED)


def active_mandates(member_names: list[str]) -> dict[str, dict]:
	"""``{member: {name, iban}}`` of the members' Active mandates."""
	rows = frappe.get_list(
		MANDATE,
		filters={"member": ("in", member_names), "status": rules.ACTIVE},
		fields=["name", "member", "iban"],
		limit_page_length=0,
	)
	return {row.member: row for row in rows}


def ensure_mandate(member_name: str, trace_id: str | None = None, tracker: str | None = None) -> str:
	"""Bring the member's mandate in line with their IBAN; return the outcome action."""
	trace_id = trace_id or new_trace_id()
	# The member's row is locked until the caller commits: two processes on one member (a batch run
	# again while its first job still ran, a click during a run) plan one after the other.
	member = frappe.db.get_value("Member", member_name, list(MEMBER_FIELDS), as_dict=True, for_update=True)
	if not member:
		record_event(
			MANDATE_CREATION,
			REFUSED,
			COMPLIANT,
			entity_name=f"Member {member_name}",
			details={"member": member_name, "reason": "member no longer exists"},
			trace_id=trace_id,
		)
		return REFUSED
	active = active_mandates([member_name]).get(member_name)
	plan = rules.plan_mandate(member, active.iban if active else None)
	if plan.action == rules.CREATE:
		mandate = _insert_mandate(member, plan.iban, tracker)
		_record(CREATED, member, mandate, trace_id)
		return CREATED
	if plan.action == rules.AMEND:
		return _amend(member, active.name, plan.iban, trace_id, tracker)
	if plan.action == rules.UNCHANGED:
		_record(UNCHANGED, member, frappe.get_doc(MANDATE, active.name), trace_id)
		return UNCHANGED
	record_event(
		MANDATE_CREATION,
		REFUSED,
		FAILED if plan.iban else COMPLIANT,
		entity_name=f"Member {member.name}",
		reference_doctype="Member",
		reference_name=member.name,
		details={"member": member.name, "reason": plan.reason, "iban": mask_iban(plan.iban)},
		sensitive_data=True,
		trace_id=trace_id,
	)
	return REFUSED


def _amend(member, old_name: str, iban: str, trace_id: str, tracker: str | None) -> str:
	"""A new mandate for the new IBAN; the old one is Cancelled and points nowhere, the new one to it."""
	old = frappe.get_doc(MANDATE, old_name)
	old.status = rules.CANCELLED
	old.cancelled_on = today()
	old.save()
	record_event(
		MANDATE_CREATION,
		"Mandate Cancelled",
		COMPLIANT,
		entity_name=f"Member {member.name}",
		reference_doctype=MANDATE,
		reference_name=old.name,
		details={"member": member.name, "reason": "IBAN changed", "iban": old.iban_masked},
		sensitive_data=True,
		trace_id=trace_id,
	)
	mandate = _insert_mandate(member, iban, tracker, amended_from=old.name, **replacement_terms(old, iban))
	_record(AMENDED, member, mandate, trace_id)
	return AMENDED


def _insert_mandate(member, iban: str, tracker: str | None, amended_from: str | None = None, **terms):
	existing = frappe.get_all(MANDATE, filters={"member": member.name}, pluck="mandate_reference")
	reference = rules.make_reference(member.member_id or member.name, rules.next_version(existing))
	return frappe.get_doc(
		{
			"doctype": MANDATE,
			"mandate_reference": reference,
			"member": member.name,
			"iban": iban,
			"bic": derive_bic(iban),
			"signature_date": member.member_since,
			"status": rules.ACTIVE,
			"sequence_type": rules.FIRST,
			"amended_from_mandate": amended_from,
			"bulk_operation_tracker": tracker,
			**terms,
		}
	).insert()


def _record(action: str, member, mandate, trace_id: str) -> None:
	verdict = mandate_verdict(True, mandate.signature_date)
	record_event(
		MANDATE_CREATION,
		action,
		verdict,
		entity_name=f"Member {member.name}",
		reference_doctype=MANDATE,
		reference_name=mandate.name,
		details={
			"member": member.name,
			"mandate": mandate.name,
			"iban": mandate.iban_masked,
			"bic": mandate.bic,
			"signature_date": mandate.signature_date,
			"sequence_type": mandate.sequence_type,
			"replaces": mandate.amended_from_mandate,
			"amends_at_bank": mandate.get("original_mandate"),
			"checked": "IBAN valid; signature date present"
			if verdict == COMPLIANT
			else "IBAN valid; no signature date",
		},
		sensitive_data=True,
		trace_id=trace_id,
	)
