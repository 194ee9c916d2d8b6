"""After the import: hand the members who may log in to the bulk account creation."""

import frappe
from frappe import _

from verenigingen.account_creation.requests import open_requests_for
from verenigingen.member_import import DOCTYPE
from verenigingen.member_import.failures import failure_reason
from verenigingen.shared.members import member_names_for_ids
from verenigingen.utils.account_creation_manager import queue_bulk_account_creation_for_members

ELIGIBLE = {"status": "Active", "user": ("is", "not set"), "email": ("is", "set")}


def queue_accounts(doc, rows: list, failures: dict) -> dict:
	"""Queue accounts for imported members with an email, an access-granting status and no login yet."""
	names = eligible_members(rows, failures)
	if not names:
		return {"accounts_queued": 0}
	frappe.db.savepoint("mijnrood_accounts")
	try:
		summary = queue_bulk_account_creation_for_members(
			names,
			source_import=doc.name,
			source_import_doctype=DOCTYPE,
			send_welcome_emails=bool(doc.send_welcome_emails),
		)
	except (frappe.ValidationError, frappe.PermissionError) as exc:
		frappe.db.rollback(save_point="mijnrood_accounts")
		message = _("The members were imported, but no accounts were queued: {0}").format(failure_reason(exc))
		frappe.clear_messages()
		return {"accounts_queued": 0, "failure_message": message}
	return {"bulk_operation_tracker": summary["tracker"], "accounts_queued": summary["queued"]}


def eligible_members(rows: list, failures: dict) -> list[str]:
	"""Members of this file's imported rows whose status allows a login and who have none yet."""
	member_ids = [
		row.member["member_id"]
		for row in rows
		if row.ok and row.member.get("allows_access") is not False and str(row.row_number) not in failures
	]
	names = member_names_for_ids(member_ids, ELIGIBLE)
	waiting = open_requests_for(names) if names else {}
	return [name for name in names if name not in waiting]
