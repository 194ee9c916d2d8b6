"""After a Mijnrood import: Customers for the imported members (only when ERPNext is installed)."""

import frappe

from verenigingen.erpnext import erpnext_installed
from verenigingen.erpnext.customers import queue_customer_run
from verenigingen.shared.members import member_names_for_ids


def queue_import_customers(doc, rows: list, failures: dict) -> dict:
	"""Queue a Customer run for the file's imported members; nothing without ERPNext or the permission."""
	if not erpnext_installed() or not frappe.has_permission("Customer", "create"):
		return {}
	member_ids = [row.member["member_id"] for row in rows if row.ok and str(row.row_number) not in failures]
	names = member_names_for_ids(member_ids)
	if not names:
		return {}
	frappe.db.savepoint("erpnext_customers")
	try:
		return queue_customer_run(names, source_import=doc.name, source_import_doctype=doc.doctype)
	except (frappe.ValidationError, frappe.PermissionError):
		# Customers can be made later from the Member list; the import itself stands.
		frappe.db.rollback(save_point="erpnext_customers")
		frappe.clear_messages()
		return {}
