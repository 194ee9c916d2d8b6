"""After the import: hand the members who may log in to the bulk account creation."""

import frappe
from frappe import _

from verenigingen.account_creation.plan import plan_for_counts
from verenigingen.account_creation.requests import open_requests_for
from verenigingen.core import run_plan
from verenigingen.member_import import DOCTYPE
from verenigingen.member_import.failures import failure_reason
from verenigingen.member_import.source import read_upload
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


def plan_accounts(doc) -> dict:
	"""The account run the import would start, before it starts (Start Import, import-mijnrood).

	Read from the file and the site as they are now: a row whose member the import creates counts
	as a request when it has an email; an existing member's user, status and open request count.
	"""
	rows = [row for row in read_upload(doc).parsed.rows if row.ok]
	stored = stored_members_by_id([str(row.member["member_id"]) for row in rows if row.member.get("member_id")])
	waiting = open_requests_for([member.name for member in stored.values()]) if stored else {}
	codes, requests = [], 0
	for row in rows:
		member = stored.get(str(row.member.get("member_id")))
		if row.member.get("allows_access") is False:
			code = run_plan.NOT_ACTIVE
		else:
			code = run_plan.refusal(True, row.member.get("email"), member and member.user,
				member.status if member else run_plan.ACTIVE, member and waiting.get(member.name))
		if code:
			codes.append(code)
		else:
			requests += 1
	batch_size = frappe.get_cached_doc("Verenigingen Settings").bulk_batch_size or 50
	return plan_for_counts(requests, run_plan.count_refusals(codes), batch_size)


def stored_members_by_id(member_ids: list[str]) -> dict:
	"""The Members with these Lidnrs, by Lidnr (user and status only)."""
	found = {}
	for start in range(0, len(member_ids), 500):
		for row in frappe.get_list("Member", filters={"member_id": ("in", member_ids[start : start + 500])},
			fields=["name", "member_id", "user", "status"], limit_page_length=0):
			found[str(row.member_id)] = row
	return found
