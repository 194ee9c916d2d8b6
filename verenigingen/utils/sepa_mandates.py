"""Public API for SEPA mandates (Desk buttons, bench execute, the import, the bulk job)."""

import frappe
from frappe import _

from verenigingen.permissions import require_roles
from verenigingen.sepa import MANDATE
from verenigingen.sepa.mandate_run import queue_mandate_run, run_mandate_batch
from verenigingen.sepa.mandates import ensure_mandate
from verenigingen.sepa.permissions import SEPA_MANAGERS
from verenigingen.utils.arguments import parse_list


@frappe.whitelist()
def queue_mandates_for_members(member_names) -> dict:
	"""Create or amend the mandates of these members in a bulk run; return the tracker and counts."""
	require_roles(*SEPA_MANAGERS)
	frappe.has_permission(MANDATE, "create", throw=True)
	return queue_mandate_run(parse_list(member_names, _("Members")))


@frappe.whitelist()
def update_mandate_for_member(member_name: str) -> dict:
	"""Create or amend one member's mandate now; return the outcome."""
	require_roles(*SEPA_MANAGERS)
	frappe.has_permission(MANDATE, "create", throw=True)
	frappe.has_permission("Member", "read", member_name, throw=True)
	return {"member": member_name, "outcome": ensure_mandate(member_name)}


def process_mandate_batch(tracker_name: str, member_names: list[str], batch_number: int | None = None) -> dict:
	"""Job entry point for one batch of a mandate run (bulk queue)."""
	return run_mandate_batch(tracker_name, member_names, batch_number)
