# Copyright (c) 2026, Verenigingen developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class VerenigingenMonitoringAction(Document):
	"""A record of an operator's monitoring action (who, when, what it did); written by app code only."""
