"""Contribution invoices: one submitted Sales Invoice per due member and period.

Idempotent per member and period: each invoice carries its contribution key
(``MEMBER/M2026-12``, verenigingen.core.contributions) in a unique Custom Field. The run asks
for the keys of all its members in one query before it queues anything, each member checks
again under its Member row lock, and the unique index refuses a second invoice even if two runs
race: a re-run creates nothing twice. A cancelled invoice keeps its key (see docs/erpnext.md).
"""

import frappe
from frappe import _
from frappe.utils import getdate

from verenigingen.core.contributions import InvoiceDue, due_invoices
from verenigingen.core.sepa.collection import to_cents
from verenigingen.erpnext import INVOICE_KEY, INVOICE_MEMBER, INVOICE_RUN, MEMBER_CUSTOMER, require_erpnext
from verenigingen.erpnext.customers import ensure_customer
from verenigingen.erpnext.runs import queue_run
from verenigingen.erpnext.settings import accounting_settings, ensure_item

MEMBER_FIELDS = ["name", "contribution_amount", "contribution_period", "member_since"]
LOOKUP_CHUNK = 1000


def existing_keys(keys: list[str]) -> set[str]:
	"""The contribution keys that already have an invoice (any status), in chunked set queries."""
	found = set()
	for start in range(0, len(keys), LOOKUP_CHUNK):
		chunk = keys[start : start + LOOKUP_CHUNK]
		found |= set(
			frappe.db.sql_list(
				f"select `{INVOICE_KEY}` from `tabSales Invoice` where `{INVOICE_KEY}` in %(keys)s", {"keys": chunk}
			)
		)
	return found


def plan_invoices(member_names: list[str] | None, posting_date) -> list[InvoiceDue]:
	"""The invoices a run on ``posting_date`` makes: Active members due for the period, none invoiced yet."""
	filters = {"status": "Active", "contribution_amount": (">", 0)}
	if member_names is not None:
		filters["name"] = ("in", member_names or [""])
	members = frappe.get_all("Member", filters=filters, fields=MEMBER_FIELDS, order_by="name", limit_page_length=0)
	run_date = getdate(posting_date)
	candidates = due_invoices(members, run_date, set())
	taken = existing_keys([item.key for item in candidates])
	return [item for item in candidates if item.key not in taken]


def queue_invoice_run(posting_date, member_names: list[str] | None = None) -> dict:
	"""An invoicing run for the due members (all Active members when no names are given)."""
	require_erpnext()
	for ptype in ("create", "submit"):
		frappe.has_permission("Sales Invoice", ptype, throw=True)
	ensure_item(accounting_settings().item)
	due = plan_invoices(member_names, posting_date)
	result = queue_run(INVOICE_RUN, [item.member for item in due], {"posting_date": str(getdate(posting_date))})
	return {**result, "posting_date": str(getdate(posting_date))}


def invoice_member(member_name: str, posting_date: str) -> str | None:
	"""Make and submit the member's contribution invoice for the period of ``posting_date``; None when not due
	or already invoiced (a repeated batch)."""
	settings = accounting_settings()
	ensure_item(settings.item)
	member = frappe.db.get_value("Member", member_name, [*MEMBER_FIELDS, "status"], as_dict=True, for_update=True)
	if not member:
		frappe.throw(_("Member {0} not found").format(member_name), frappe.DoesNotExistError)
	due = due_invoices([member], getdate(posting_date), set())
	if not due or existing_keys([due[0].key]):
		return None
	item = due[0]
	ensure_customer(member_name)
	customer = frappe.db.get_value("Member", member_name, MEMBER_CUSTOMER)
	invoice = frappe.new_doc("Sales Invoice")
	invoice.update(
		{
			"customer": customer,
			"company": settings.company,
			"currency": settings.currency,
			"set_posting_time": 1,
			"posting_date": getdate(posting_date),
			"due_date": getdate(posting_date),
			"ignore_pricing_rule": 1,
			INVOICE_MEMBER: member_name,
			INVOICE_KEY: item.key,
			"remarks": _("Contribution {0} to {1}").format(item.period_start, item.period_end),
		}
	)
	invoice.append(
		"items",
		{
			"item_code": settings.item,
			"qty": 1,
			"rate": item.amount_cents / 100,
			"income_account": settings.income_account,
			"cost_center": settings.cost_center,
			"description": _("Contribution {0} to {1}").format(item.period_start, item.period_end),
		},
	)
	invoice.insert()
	if to_cents(invoice.grand_total) != item.amount_cents:
		frappe.throw(_("Invoice total {0} differs from the contribution {1}").format(invoice.grand_total, item.amount_cents / 100))
	invoice.submit()
	return invoice.name
