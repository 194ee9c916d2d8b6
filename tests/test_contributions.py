"""Contribution accounting rules: due members per period, idempotency keys, amounts, Customer plans."""

from datetime import date

import pytest

from verenigingen.core import contributions as c

DEC = date(2026, 12, 3)


def member(name, amount=10, period="Monthly", since=date(2024, 3, 15)):
	return {"name": name, "contribution_amount": amount, "contribution_period": period, "member_since": since}


def test_monthly_members_are_due_every_month_with_their_amount_in_cents():
	due = c.due_invoices([member("M1", "7.50"), member("M2", 12.345)], DEC, set())
	assert [(d.member, d.amount_cents, d.key) for d in due] == [("M1", 750, "M1/M2026-12"), ("M2", 1235, "M2/M2026-12")]
	assert (due[0].period_start, due[0].period_end) == (date(2026, 12, 1), date(2026, 12, 31))


def test_quarterly_and_annual_members_are_due_in_the_months_counted_from_their_start():
	members = [
		member("Q-due", period="Quarterly", since=date(2020, 9, 1)),  # Sep, Dec, Mar, Jun
		member("Q-not", period="Quarterly", since=date(2020, 10, 1)),
		member("A-due", period="Annually", since=date(2019, 12, 31)),
		member("A-not", period="Annually", since=date(2019, 11, 1)),
	]
	due = {d.member: d for d in c.due_invoices(members, DEC, set())}
	assert set(due) == {"Q-due", "A-due"}
	assert (due["Q-due"].period_start, due["Q-due"].period_end) == (date(2026, 12, 1), date(2027, 2, 28))
	assert due["A-due"].period_end == date(2027, 11, 30)
	assert due["A-due"].period_key == "A2026-12"


def test_a_second_run_makes_nothing_twice():
	members = [member("M1"), member("M2")]
	first = c.due_invoices(members, DEC, set())
	again = c.due_invoices(members, DEC, {d.key for d in first})
	assert len(first) == 2 and again == []
	# the next month is a new period
	assert len(c.due_invoices(members, date(2027, 1, 5), {d.key for d in first})) == 2


@pytest.mark.parametrize("values", [{"contribution_amount": 0}, {"contribution_amount": None}, {"contribution_period": ""}])
def test_no_amount_or_no_period_means_no_invoice(values):
	assert c.due_invoices([{**member("M1"), **values}], DEC, set()) == []


def test_keys_carry_their_period():
	key = c.contribution_key("MEM-00001", "Q2026-12")
	assert key == "MEM-00001/Q2026-12" and c.period_of_key(key) == "Q2026-12"


def test_add_months_clips_to_the_month_end():
	assert c.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
	assert c.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_customer_plan_keeps_links_and_never_duplicates_by_email():
	by_email = {"jan@example.org": "Jan Jansen"}
	assert c.plan_customer("Jan Jansen", True, "jan@example.org", by_email) == (c.KEEP, "Jan Jansen")
	assert c.plan_customer(None, False, " Jan@Example.org ", by_email) == (c.LINK, "Jan Jansen")
	# a link to a deleted Customer is repaired from the email, else a new one is made
	assert c.plan_customer("Gone", False, "jan@example.org", by_email) == (c.LINK, "Jan Jansen")
	assert c.plan_customer(None, False, "piet@example.org", by_email) == (c.CREATE, None)
	assert c.plan_customer(None, False, None, by_email) == (c.CREATE, None)


def test_only_open_invoice_entries_without_a_payment_are_booked():
	rows = [
		{"name": "1", "sales_invoice": "SI-1", "status": "Pending"},
		{"name": "2", "sales_invoice": "SI-2", "status": "Collected", "payment_entry": "PE-2"},
		{"name": "3", "sales_invoice": "SI-3", "status": "Rejected"},
		{"name": "4", "sales_invoice": None, "status": "Pending"},
		{"name": "5", "sales_invoice": "SI-5", "status": "Collected"},
	]
	assert [r["name"] for r in c.payable_entries(rows)] == ["1", "5"]


def test_a_return_undoes_only_a_booked_payment_once():
	after = [
		{"name": "1", "status": "Reversed", "payment_entry": "PE-1"},
		{"name": "2", "status": "Rejected", "payment_entry": None},
		{"name": "3", "status": "Reversed", "payment_entry": "PE-3"},
		{"name": "4", "status": "Collected", "payment_entry": "PE-4"},
	]
	before = {"1": "Collected", "2": "Pending", "3": "Reversed", "4": "Collected"}
	assert [r["name"] for r in c.returned_entries(before, after)] == ["1"]
