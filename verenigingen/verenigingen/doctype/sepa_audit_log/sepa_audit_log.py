# Copyright (c) 2026, Verenigingen developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

from verenigingen.sepa import audit


class SEPAAuditLog(Document):
	"""Append-only: only verenigingen.sepa.audit.record_event writes a row; nothing changes or deletes one."""

	def validate(self):
		audit.check_recorded_write(self)

	def on_trash(self):
		audit.refuse_deletion(self)


def on_doctype_update():
	"""A mandate run's counts are read from its outcome events (sepa/mandate_run.read_run_counts): with
	every column of that count in one index, the recount reads the index alone, not each event's row."""
	frappe.db.add_index("SEPA Audit Log", ["trace_id", "action", "compliance_status", "entity_name"])
