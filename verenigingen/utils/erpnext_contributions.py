"""Public API of the ERPNext contribution accounting (Member list, Direct Debit Batch, Member form).

Every method: the role guard first (an ERPNext accounting role and a staff role), then a clear
refusal when ERPNext is not installed, then one function of ``verenigingen.erpnext``.
"""

import frappe
from frappe import _
from frappe.utils import getdate

from verenigingen.erpnext import (
	customers,
	debit,
	invoices,
	payments,
	require_contribution_accounting,
	require_erpnext,
	runs,
	views,
)
from verenigingen.permissions import require_roles
from verenigingen.sepa.permissions import SEPA_MANAGERS
from verenigingen.utils.arguments import parse_list


def _date(value, label: str):
	try:
		return getdate(value)
	except Exception:  # noqa: BLE001 - any unreadable date is the caller's input error
		frappe.throw(_("{0} is not a valid date").format(label))


@frappe.whitelist()
def queue_customers_for_members(member_names) -> dict:
	"""A Customer run for these members (created, or linked by e-mail); the tracker and counts."""
	require_contribution_accounting()
	require_erpnext()
	return customers.queue_customer_run(parse_list(member_names, _("Members")))


@frappe.whitelist()
def queue_contribution_invoices(posting_date: str, member_names=None) -> dict:
	"""An invoicing run for the period starting in ``posting_date``'s month (all Active members by default)."""
	require_contribution_accounting()
	require_erpnext()
	names = parse_list(member_names, _("Members")) if member_names not in (None, "", "null") else None
	return invoices.queue_invoice_run(_date(posting_date, _("Posting Date")), names)


@frappe.whitelist()
def fill_batch_from_invoices(batch_name: str) -> dict:
	"""Fill a draft Direct Debit Batch with outstanding contribution invoices; the preview totals."""
	require_contribution_accounting()
	require_roles(*SEPA_MANAGERS)
	require_erpnext()
	return debit.fill_batch_from_invoices(batch_name)


@frappe.whitelist()
def book_batch_payments(batch_name: str) -> dict:
	"""The batch was collected: a run of Payment Entries for its invoices not rejected."""
	require_contribution_accounting()
	require_roles(*SEPA_MANAGERS)
	require_erpnext()
	return payments.queue_payment_run(batch_name)


@frappe.whitelist()
def get_member_contributions(member_name: str) -> dict:
	"""The member's Customer and outstanding contribution invoices (the Member form)."""
	require_contribution_accounting()
	require_erpnext()
	frappe.has_permission("Member", "read", member_name, throw=True)
	return views.member_contributions(member_name)


def process_run_batch(tracker_name: str, batch_number: int, items: list[str], context: dict) -> dict:
	"""Job entry point (not whitelisted) of one batch of a Customer, invoicing or payment run."""
	return runs.run_batch(tracker_name, batch_number, items, context)
