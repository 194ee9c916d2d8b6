# Copyright (c) 2026, Verenigingen developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from verenigingen.sepa import audit


class SEPAAuditLog(Document):
	"""Append-only: only verenigingen.sepa.audit.record_event writes a row; nothing changes or deletes one."""

	def validate(self):
		audit.check_recorded_write(self)

	def on_trash(self):
		audit.refuse_deletion(self)
