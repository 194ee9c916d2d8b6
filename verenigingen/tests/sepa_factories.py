"""Fixtures for the SEPA tests: members with mandates, creditor settings, cleanup of committed rows."""

import frappe

from verenigingen.sepa import BATCH, MANDATE
from verenigingen.tests.factories import make_member

CREDITOR = {
	"creditor_name": "Vereniging Testlanden",
	"creditor_iban": "NL91ABNA0417164300",
	"creditor_bic": "",
	"creditor_identifier": "NL69ZZZ123456780000",
	"max_collection_amount": 100,
}
# valid Dutch IBANs for test members (mod-97 correct)
IBANS = ("NL25RABO0497465075", "NL39ASNB7975432319", "NL20INGB0001234567", "NL02ABNA0123456789")


def make_mandated_member(iban: str = IBANS[0], amount: float = 7.5, period: str = "Monthly", **values):
	"""A member with a contribution and an Active mandate made by the app's own path."""
	from verenigingen.sepa.mandates import ensure_mandate

	member = make_member(
		iban=iban,
		contribution_amount=amount,
		contribution_period=period,
		member_since=values.pop("member_since", "2024-01-15"),
		**values,
	)
	ensure_mandate(member.name)
	return member


def delete_sepa_data(member_names) -> None:
	"""Remove the mandates and batches the tests committed (audit rows stay: the log is append-only)."""
	if member_names:
		frappe.db.delete(MANDATE, {"member": ("in", list(member_names))})
	for batch in frappe.get_all(BATCH, pluck="name"):
		frappe.db.delete("Direct Debit Batch Entry", {"parent": batch})
		frappe.db.delete(BATCH, {"name": batch})
	frappe.db.commit()
