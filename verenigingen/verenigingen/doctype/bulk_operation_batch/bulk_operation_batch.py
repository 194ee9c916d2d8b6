# Copyright (c) 2026, Verenigingen developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class BulkOperationBatch(Document):
	"""One batch of a tracker run over plain items (mandates, ERPNext runs): what its job does and
	whether it is done, so a job lost with Redis or a killed worker is enqueued again
	(account_creation/item_runs.py). Written by app code only."""


def on_doctype_update():
	# the watch's question, every few seconds: which batches of open runs are not done yet
	frappe.db.add_index("Bulk Operation Batch", ["status", "tracker"])
