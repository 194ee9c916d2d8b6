# Copyright (c) 2026, Verenigingen developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.naming import make_autoname

from verenigingen.core.names import clean_name_part, compose_full_name
from verenigingen.core.sepa.accounts import check_iban


class Member(Document):
	def autoname(self):
		member_id = (self.member_id or "").strip()
		self.name = member_id if member_id else make_autoname("MEM-.#####", doc=self)

	def validate(self):
		self.first_name = clean_name_part(self.first_name)
		self.tussenvoegsel = clean_name_part(self.tussenvoegsel)
		self.last_name = clean_name_part(self.last_name)
		self.full_name = compose_full_name(self.first_name, self.tussenvoegsel, self.last_name)
		self.member_id = (self.member_id or "").strip() or None
		self.validate_email_unique()
		self.validate_iban()

	def validate_email_unique(self):
		self.email = (self.email or "").strip().lower() or None
		if not self.email:
			return
		other = frappe.db.get_value("Member", {"email": self.email, "name": ("!=", self.name)}, "name")
		if other:
			frappe.throw(
				_("Email {0} is already used by member {1}").format(self.email, other),
				frappe.UniqueValidationError,
				title=_("Duplicate Email"),
			)

	def validate_iban(self):
		"""A new or changed IBAN is stored compact and only when valid; an unchanged one is left
		alone, so a record from before this check still saves."""
		if not (self.iban or "").strip():
			self.iban = None
			return
		if not (self.is_new() or self.has_value_changed("iban")):
			return
		checked = check_iban(self.iban)
		if not checked.valid:
			frappe.throw(
				_("IBAN {0} is not valid: {1}").format(checked.masked, _(checked.problem)),
				title=_("Invalid IBAN"),
			)
		self.iban = checked.compact
