"""Contribution accounting rules (ERPNext integration), from plain values.

Which members owe a contribution for a period, the key that makes one invoice per member and
period, the period an invoice covers, whether a member's Customer is created or linked, and
which direct-debit entries turn into payments. No Frappe here: callers pass rows and dates.
"""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date

from verenigingen.core.sepa.collection import MONTHS_BETWEEN, is_due, period_key, to_cents

# Customer plans
KEEP, LINK, CREATE, SKIP = "keep", "link", "create", "skip"
KEY_SEPARATOR = "/"


@dataclass(frozen=True)
class InvoiceDue:
	"""One contribution invoice to make: member, idempotency key, amount, the period it covers."""

	member: str
	key: str
	period_key: str
	amount_cents: int
	period_start: date
	period_end: date


def contribution_key(member: str, key_of_period: str) -> str:
	"""The idempotency key of a member's contribution invoice for a period, e.g. ``MEM-0001/M2026-12``."""
	return f"{member}{KEY_SEPARATOR}{key_of_period}"


def period_of_key(key: str) -> str:
	"""The period part of a contribution key (``M2026-12``)."""
	return key.rsplit(KEY_SEPARATOR, 1)[-1]


def add_months(day: date, months: int) -> date:
	"""The same day ``months`` later (clipped to the month's last day)."""
	month_index = day.month - 1 + months
	year, month = day.year + month_index // 12, month_index % 12 + 1
	return date(year, month, min(day.day, monthrange(year, month)[1]))


def period_bounds(period: str, run_date: date) -> tuple[date, date]:
	"""First and last day of the contribution period that starts in ``run_date``'s month."""
	months = MONTHS_BETWEEN[period]
	start = run_date.replace(day=1)
	end = add_months(start, months)
	return start, date.fromordinal(end.toordinal() - 1)


def due_invoices(members: list[dict], run_date: date, existing_keys: set[str]) -> list[InvoiceDue]:
	"""Members owing a contribution for the period starting in ``run_date``'s month, without an invoice.

	Each member dict holds ``name``, ``contribution_amount``, ``contribution_period`` and
	``member_since``. Due in the same months as the direct debit (``collection.is_due``): monthly
	every month, quarterly and annually counted from the member's start month. ``existing_keys``
	are the contribution keys already invoiced: a second run makes nothing twice.
	"""
	due = []
	for member in members:
		cents = to_cents(member.get("contribution_amount"))
		period = member.get("contribution_period")
		if cents <= 0 or not is_due(period, run_date, member.get("member_since")):
			continue
		key_of_period = period_key(period, run_date)
		key = contribution_key(member["name"], key_of_period)
		if key in existing_keys:
			continue
		start, end = period_bounds(period, run_date)
		due.append(InvoiceDue(member["name"], key, key_of_period, cents, start, end))
	return due


def plan_customer(linked: str | None, linked_exists: bool, email: str | None, by_email: dict[str, str]) -> tuple[str, str | None]:
	"""What to do for a member's Customer: ``(action, customer)``.

	``keep`` the linked Customer while it exists; ``link`` an existing Customer with the member's
	e-mail (case-insensitive; never a second Customer for the same person); else ``create``.
	"""
	if linked and linked_exists:
		return KEEP, linked
	found = by_email.get((email or "").strip().lower()) if email else None
	if found:
		return LINK, found
	return CREATE, None


def payable_entries(entries: list[dict]) -> list[dict]:
	"""Direct-debit entries that get a Payment Entry: an invoice, not rejected or reversed, none booked yet."""
	return [
		row
		for row in entries
		if row.get("sales_invoice")
		and row.get("status") in (None, "", "Pending", "Collected")
		and not row.get("payment_entry")
	]


def returned_entries(before: dict[str, str], after: list[dict]) -> list[dict]:
	"""Entries whose status just became Rejected or Reversed and that carry a Payment Entry to undo.

	``before`` maps an entry's row name to its previous status.
	"""
	undo = ("Rejected", "Reversed")
	return [
		row
		for row in after
		if row.get("payment_entry") and row.get("status") in undo and before.get(row.get("name")) not in undo
	]
