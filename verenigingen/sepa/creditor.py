"""The creditor (the association) from Verenigingen Settings: checked when saved and when a file is made."""

import frappe
from frappe import _

from verenigingen.core.sepa.accounts import check_iban, derive_bic, mask_iban
from verenigingen.core.sepa.pain008 import Creditor, check_creditor_id


def validate_creditor_settings(settings) -> None:
	"""Settings validate: a filled-in creditor IBAN or identifier must be valid; both are stored compact."""
	if settings.get("creditor_iban"):
		iban = check_iban(settings.creditor_iban)
		if not iban.valid:
			frappe.throw(_("Creditor IBAN {0} is not valid").format(mask_iban(iban.compact)))
		settings.creditor_iban = iban.compact
	if settings.get("creditor_identifier"):
		try:
			settings.creditor_identifier = check_creditor_id(settings.creditor_identifier)
		except ValueError:
			frappe.throw(
				_("Creditor Identifier {0} is not a valid SEPA creditor id").format(
					settings.creditor_identifier
				)
			)


def creditor_from_settings() -> Creditor:
	"""The creditor for a pain.008 file; a missing or invalid value stops with a clear message."""
	settings = frappe.get_cached_doc("Verenigingen Settings")
	iban = check_iban(settings.get("creditor_iban"))
	if not (settings.get("creditor_name") and iban.valid):
		frappe.throw(_("Set the creditor name and a valid creditor IBAN in Verenigingen Settings (SEPA)"))
	try:
		creditor_id = check_creditor_id(settings.get("creditor_identifier"))
	except ValueError:
		frappe.throw(_("The creditor identifier in Verenigingen Settings is not a valid SEPA creditor id"))
	bic = (settings.get("creditor_bic") or "").replace(" ", "").upper() or derive_bic(iban.compact)
	return Creditor(settings.creditor_name, iban.compact, bic, creditor_id)
