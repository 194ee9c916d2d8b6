"""After a Mijnrood import: mandates for the imported members with a valid IBAN and a contribution."""

import frappe

from verenigingen.sepa.mandate_run import queue_mandate_run
from verenigingen.sepa.permissions import may_manage_sepa
from verenigingen.shared.members import member_names_for_ids


def queue_import_mandates(doc, rows: list, failures: dict) -> dict:
	"""Queue a mandate run for the file's imported members; nothing when the importer may not manage SEPA."""
	if not may_manage_sepa():
		return {}
	member_ids = [row.member["member_id"] for row in rows if row.ok and str(row.row_number) not in failures]
	names = member_names_for_ids(member_ids, {"iban": ("is", "set")})
	if not names:
		return {}
	frappe.db.savepoint("sepa_mandates")
	try:
		return queue_mandate_run(names, source_import=doc.name, source_import_doctype=doc.doctype)
	except (frappe.ValidationError, frappe.PermissionError):
		# Mandates can be queued later from the member list; the import itself stands.
		frappe.db.rollback(save_point="sepa_mandates")
		frappe.clear_messages()
		return {}
