"""Judging Member values against the DocType's columns: what Frappe would refuse is refused or dropped first."""

from datetime import date
from decimal import Decimal

import pytest

from tests.member_doctype import member_limits, member_rules
from verenigingen.core import field_limits as fl

LIMITS = member_limits()
NEW = {
	"member_id": "1000",
	"first_name": "Anna",
	"tussenvoegsel": "van",
	"last_name": "Haan",
	"full_name": "Anna van Haan",
	"email": "anna@example.nl",
	"city": "Utrecht",
	"country": "NL",
	"contribution_amount": Decimal("25.00"),
	"contribution_period": "Annually",
	"birth_date": "2006-07-07",
	"chapter": "Nijmegen",
}


def test_a_good_member_passes_untouched():
	"""Nothing refused, nothing dropped, nothing warned."""
	verdict = fl.judge_new(NEW, member_rules())
	assert (verdict.values, verdict.errors, verdict.warnings) == (NEW, [], [])


@pytest.mark.parametrize(
	"field",
	["first_name", "tussenvoegsel", "last_name", "full_name", "member_id", "address_line", "city", "phone"],
)
def test_text_longer_than_its_column_refuses_the_row(field):
	"""Real data a Member cannot hold: refused with field and lengths (to the error report), never cut off."""
	verdict = fl.judge_new({**NEW, field: "x" * 141}, member_rules())
	assert verdict.errors == [f"{LIMITS[field]['label']}: 141 characters, more than the 140 a Member holds"]


def test_exactly_the_column_length_fits():
	"""140 characters is the limit itself, not over it."""
	assert not fl.judge_new({**NEW, "first_name": "x" * 140}, member_rules()).errors


def test_the_fields_own_length_counts_not_the_default():
	"""country is a Data field of length 2."""
	verdict = fl.judge_new({**NEW, "country": "NLD"}, member_rules())
	assert verdict.errors == ["Country: 3 characters, more than the 2 a Member holds"]


def test_length_counts_characters_not_bytes():
	"""The column is utf8mb4 characters: 140 letters with diacritics fit."""
	assert not fl.judge_new({**NEW, "last_name": "ö" * 140}, member_rules()).errors


@pytest.mark.parametrize(
	"email",
	["zoë@example.nl", "anna..haan@example.nl", ".anna@example.nl", "anna@-example.nl", "anna@exämple.nl"],
)
def test_email_frappe_would_refuse_refuses_the_row(email):
	"""The Member's email is a Data field with options Email: Frappe's own pattern decides."""
	verdict = fl.judge_new({**NEW, "email": email}, member_rules())
	assert verdict.errors == [f"Email: '{email}' is not an email address Frappe accepts"]


@pytest.mark.parametrize("email", ["anna@example.nl", "o'neill+club@mail.example.co.uk", "a_b-c@x-y.nl"])
def test_ordinary_email_passes(email):
	assert fl.is_frappe_email(email)


def test_select_value_outside_the_options_is_dropped():
	"""contribution_period is a Select: anything else than its options would be refused."""
	verdict = fl.judge_new({**NEW, "contribution_period": "Weekly"}, member_rules())
	assert verdict.warnings == [
		"Contribution Period: 'Weekly' is not one of Monthly, Quarterly, Annually; not imported"
	]


def test_link_to_a_missing_chapter_is_dropped():
	"""A Link must point at an existing record (or one the import creates first)."""
	verdict = fl.judge_new({**NEW, "chapter": "Atlantis"}, member_rules(chapters=("Nijmegen",)))
	assert verdict.warnings == ["Chapter: Chapter Atlantis does not exist; not imported"]
	assert "chapter" not in verdict.values


def test_link_of_a_doctype_without_known_names_is_not_checked():
	"""No names passed for a doctype: its existence is left to Frappe."""
	verdict = fl.judge_new({**NEW, "chapter": "Atlantis"}, fl.FieldRules(LIMITS))
	assert not verdict.warnings


def test_required_field_empty_refuses_the_row():
	"""first_name is reqd in the DocType."""
	assert fl.judge_new({**NEW, "first_name": ""}, member_rules()).errors == [
		"First Name: a value is required"
	]


@pytest.mark.parametrize(
	"limit, value, problem",
	[
		({"fieldtype": "Int"}, 2**31, "2147483648 is larger than 2147483647"),
		({"fieldtype": "Int", "length": 12}, 2**31, None),
		({"fieldtype": "Int"}, "abc", "'abc' is not a whole number"),
		({"fieldtype": "Currency"}, Decimal(10**12), "1000000000000 is too large"),
		({"fieldtype": "Currency"}, Decimal("999999999999.99"), None),
		({"fieldtype": "Date"}, "2024-02-30", "'2024-02-30' is not a date"),
		({"fieldtype": "Date"}, date(2024, 2, 29), None),
		({"fieldtype": "Check"}, 1, None),
		({"fieldtype": "Data", "length": 5}, "", None),
	],
)
def test_value_problem_per_type(limit, value, problem):
	"""Numbers must fit their column, dates must be dates, empty is fine unless required."""
	assert fl.value_problem(value, limit) == problem


def test_update_judges_the_full_name_the_save_composes():
	"""A longer last name with the stored first name (with "van") makes a full name over 140: the save would refuse."""
	stored = {**NEW, "first_name": "A" * 100}
	verdict = fl.judge_update(stored, {"last_name": "B" * 40}, member_rules())
	assert verdict.errors == ["Full Name: 145 characters, more than the 140 a Member holds"]


def test_update_refuses_when_a_stored_value_would_fail_the_save():
	"""doc.save() validates every field: an old stored email Frappe refuses makes any change fail."""
	stored = {**NEW, "email": "zoë@example.nl"}
	verdict = fl.judge_update(stored, {"city": "Arnhem"}, member_rules())
	assert verdict.errors == [
		"stored Email: 'zoë@example.nl' is not an email address Frappe accepts; correct the member first"
	]


def test_update_does_not_check_stored_links():
	"""A stored chapter need not be among the chapters this file maps to."""
	stored = {**NEW, "chapter": "Leiden"}
	assert not fl.judge_update(stored, {"city": "Arnhem"}, member_rules(chapters=())).errors


def test_update_with_a_long_change_is_refused():
	"""The save would refuse the whole document, so the row is refused (the member stays as stored)."""
	verdict = fl.judge_update(NEW, {"city": "Arnhem", "address_line": "z" * 141}, member_rules())
	assert verdict.errors == ["Address: 141 characters, more than the 140 a Member holds"]


def test_update_drops_an_unknown_choice_and_keeps_the_rest():
	"""Only the field naming an unknown chapter is left out."""
	verdict = fl.judge_update(NEW, {"city": "Arnhem", "chapter": "Atlantis"}, member_rules())
	assert verdict.values == {"city": "Arnhem"} and len(verdict.warnings) == 1


def test_required_select_outside_its_options_refuses_the_row():
	"""A required choice cannot be left out."""
	limits = {
		"status": {"fieldtype": "Select", "options": ("Active", "Gone"), "reqd": True, "label": "Status"}
	}
	verdict = fl.judge_new({"status": "Lost"}, fl.FieldRules(limits))
	assert verdict.errors == ["Status: 'Lost' is not one of Active, Gone"]


def test_labels_are_translatable_messages():
	"""The label travels as a Message, so the Frappe side translates it with _()."""
	message = fl.judge_new({**NEW, "first_name": "x" * 141}, member_rules()).errors[0]
	assert message.template == "{0}: {1}" and message.args[0].template == "First Name"


def test_a_too_long_part_is_not_repeated_as_a_too_long_full_name():
	"""The full name composed of a 300-character first name is over 140 too; one reason is enough."""
	verdict = fl.judge_new(
		{**NEW, "first_name": "A" * 300, "full_name": "A" * 300 + " van Haan"}, member_rules()
	)
	assert verdict.errors == ["First Name: 300 characters, more than the 140 a Member holds"]
