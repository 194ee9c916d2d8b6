# Copyright (c) 2026, Verenigingen developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

from verenigingen.account_creation import BATCH


class BulkOperationTracker(Document):
	"""Counts and status are written by verenigingen.account_creation.tracker only."""

	def on_trash(self):
		# its batches are part of the run (item_runs.py), not records of their own
		frappe.db.delete(BATCH, {"tracker": self.name})
