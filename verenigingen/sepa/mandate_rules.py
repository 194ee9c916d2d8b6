"""SEPA Mandate validation: the reference, the IBAN (python-stdnum), the BIC (schwifty), the masked copy."""

import frappe
from frappe import _

from verenigingen.core.sepa import mandates as rules
from verenigingen.core.sepa.accounts import check_iban, derive_bic, mask_iban


def validate_mandate(doc) -> None:
	"""Refuse a bad reference or IBAN; fill in the compact IBAN, its masked copy and a missing BIC."""
	if not rules.is_valid_reference(doc.mandate_reference):
		frappe.throw(
			_(
				"Mandate reference {0} must be 1 to 35 letters, digits or + ? / - : ( ) . , ' and not start or end with /"
			).format(frappe.bold(doc.mandate_reference or ""))
		)
	checked = check_iban(doc.iban)
	if not checked.valid:
		frappe.throw(_("IBAN {0} is not valid").format(mask_iban(checked.compact)))
	doc.iban = checked.compact
	doc.iban_masked = mask_iban(checked.compact)
	doc.bic = (doc.bic or "").replace(" ", "").upper() or derive_bic(checked.compact)
	if doc.status == rules.CANCELLED and not doc.cancelled_on:
		doc.cancelled_on = frappe.utils.today()
	if doc.sequence_type == rules.FIRST and doc.first_collected_on:
		doc.sequence_type = rules.sequence_type_after_collection(doc.sequence_type, True)
