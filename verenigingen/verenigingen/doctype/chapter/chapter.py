# Copyright (c) 2026, Verenigingen developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from verenigingen.core.names import clean_name_part


class Chapter(Document):
	def autoname(self):
		self.chapter_name = clean_name_part(self.chapter_name)
		self.name = self.chapter_name

	def validate(self):
		self.chapter_name = clean_name_part(self.chapter_name)
		self.mijnrood_division_id = (self.mijnrood_division_id or "").strip() or None
