# Copyright (c) 2026, Verenigingen developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class BulkOperationTracker(Document):
	"""Counts and status are written by verenigingen.account_creation.tracker only."""
