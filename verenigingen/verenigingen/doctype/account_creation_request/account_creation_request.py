# Copyright (c) 2026, Verenigingen developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class AccountCreationRequest(Document):
	def before_insert(self):
		self.requested_by = self.requested_by or frappe.session.user

	def validate(self):
		member = frappe.db.get_value("Member", self.member, ["full_name", "email"], as_dict=True)
		if member:
			self.full_name, self.email = member.full_name, member.email
		seen = set()
		for row in list(self.requested_roles):
			if row.role in seen:
				self.remove(row)
			seen.add(row.role)


def on_doctype_update():
	"""A run's open batches by number: the batch a job takes on next is found in the index, not by
	reading every request of a 50,000-member run (account_creation/batches.waiting_batch)."""
	frappe.db.add_index("Account Creation Request", ["tracker", "status", "batch_number"])
