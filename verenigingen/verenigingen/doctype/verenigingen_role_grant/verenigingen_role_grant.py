# Copyright (c) 2026, Verenigingen developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class VerenigingenRoleGrant(Document):
	"""Child row: a requester role and a role it may grant to member accounts."""
