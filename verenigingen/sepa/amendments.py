"""A changed account of a mandate the debtor's bank knows: what the replacement mandate carries, and when.

A new IBAN makes a new SEPA Mandate (next version of the reference) that points at the last mandate
the bank has seen (``original_mandate``) with ``amendment_pending`` set. Its first collection carries
AmdmntInd with the original mandate id and either the old IBAN (same bank, RCUR continues) or SMNDA
(another bank, FRST). Submitting that collection clears the flag; a rejection sets it again.
"""

import frappe

from verenigingen.core.sepa import mandates as rules
from verenigingen.sepa import MANDATE


def replacement_terms(old, new_iban: str) -> dict:
	"""Fields of the mandate that replaces ``old`` for ``new_iban``: sequence type and amendment link."""
	known = rules.known_to_bank(old.as_dict())
	if not known:
		return {"sequence_type": rules.FIRST, "original_mandate": None, "amendment_pending": 0}
	original = frappe.db.get_value(MANDATE, known, ["mandate_reference", "iban"], as_dict=True)
	amendment = rules.plan_amendment(original.mandate_reference, original.iban, new_iban)
	return {"sequence_type": amendment.sequence_type, "original_mandate": known, "amendment_pending": 1}


def pending_amendments(mandate_names: list[str]) -> dict[str, rules.Amendment]:
	"""``{mandate: Amendment}`` for the mandates whose next collection must report an account change."""
	rows = frappe.get_all(
		MANDATE,
		filters={"name": ("in", mandate_names), "amendment_pending": 1},
		fields=["name", "iban", "original_mandate"],
		limit_page_length=0,
	)
	originals = {
		row.name: row
		for row in frappe.get_all(
			MANDATE,
			filters={"name": ("in", [row.original_mandate for row in rows if row.original_mandate])},
			fields=["name", "mandate_reference", "iban"],
			limit_page_length=0,
		)
	}
	return {
		row.name: rules.plan_amendment(
			originals[row.original_mandate].mandate_reference, originals[row.original_mandate].iban, row.iban
		)
		for row in rows
		if row.original_mandate in originals
	}


def set_pending(mandate_name: str, pending: bool) -> None:
	"""Submitted: the banks now know the change; rejected: the next collection must report it again."""
	mandate = frappe.get_doc(MANDATE, mandate_name)
	mandate.amendment_pending = int(pending)
	mandate.save()
