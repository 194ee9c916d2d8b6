# Copyright (c) 2026, Verenigingen developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class DirectDebitBatchEntry(Document):
	"""Child table of Direct Debit Batch: one debit per member."""
