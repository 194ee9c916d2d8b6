# Copyright (c) 2026, Verenigingen developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from verenigingen.core import import_status
from verenigingen.member_import import RESULT_FIELDS, reset_values
from verenigingen.member_import.runs import is_run_stale


class MijnroodCSVImport(Document):
	"""Holds the upload, the options and the results; the jobs in verenigingen.member_import do the work.

	Results (status, counts, preview, progress) are written only by those jobs, with
	``frappe.db.set_value``; a save from the form can never change them.
	"""

	def validate(self):
		if self.is_new():
			self.status = import_status.DRAFT
			return
		before = self.get_doc_before_save()
		if not before:
			return
		self.keep_results(before)
		if before.import_file != self.import_file:
			self.reset_for_new_file(before)

	def keep_results(self, before):
		for fieldname in RESULT_FIELDS:
			self.set(fieldname, before.get(fieldname))

	def reset_for_new_file(self, before):
		if before.status in import_status.RUNNING and not is_run_stale(before):
			frappe.throw(_("The file cannot be changed while the import is {0}").format(_(before.status)))
		self.update(reset_values())
		self.status = import_status.DRAFT

	def on_trash(self):
		if self.status in import_status.RUNNING and not is_run_stale(self):
			frappe.throw(_("An import that is {0} cannot be deleted").format(_(self.status)))
