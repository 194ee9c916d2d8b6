# Copyright (c) 2026, Verenigingen developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from verenigingen.sepa import batch_status


class DirectDebitBatch(Document):
	"""Entries, file and status are written by verenigingen.sepa.collections only."""

	def validate(self):
		batch_status.validate_batch(self)
