# Copyright (c) 2026, Verenigingen developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class AccountCreationRequestRole(Document):
	"""Child row: one role requested for the member account."""
