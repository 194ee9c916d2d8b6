# Copyright (c) 2026, Verenigingen developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from verenigingen.sepa import mandate_rules


class SEPAMandate(Document):
	"""Validation only; mandates are created and amended by verenigingen.sepa.mandates."""

	def validate(self):
		mandate_rules.validate_mandate(self)
