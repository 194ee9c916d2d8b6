"""The verdict per field: which problems reject a row and which only drop or flag a field."""

from datetime import date
from decimal import Decimal

import pytest

from verenigingen.core.mijnrood.columns import ADMIN_COLUMNS
from verenigingen.core.mijnrood.model import MEMBER_FIELDS
from verenigingen.core.mijnrood.table import SourceRow
from verenigingen.core.mijnrood.validate import validate_row

from .builders import ADMIN_HEADER, admin_row

LABELS = {field: spellings[0] for field, spellings in ADMIN_COLUMNS.items()}
TODAY = date(2026, 1, 1)


def verdict(**cells):
	"""Validate one admin row with some cells overridden."""
	raw = dict(zip(ADMIN_HEADER, admin_row(**cells), strict=True))
	values = {field: raw[header] for field, header in LABELS.items()}
	return validate_row(SourceRow(2, raw), values, LABELS, today=TODAY)


def test_clean_row_gives_the_canonical_record():
	"""Every field normalised, in DocType order, plus allows_access."""
	result = verdict()
	assert result.ok and not result.warnings
	assert list(result.member) == list(MEMBER_FIELDS) + ["allows_access"]
	assert result.member | {"allows_access": None} == {
		"member_id": "1000", "first_name": "Anna", "tussenvoegsel": "van", "last_name": "Haan",
		"email": "anna1000@example.nl", "phone": "+31612345678", "birth_date": "2006-07-07",
		"member_since": "2025-03-17", "address_line": "Kerkstraat 1", "postal_code": "2082 PB",
		"city": "Haarlem", "country": "NL", "iban": "NL39ASNB7975432319",
		"contribution_amount": Decimal("25.00"), "contribution_period": "Annually", "contribution_paid": 1,
		"mollie_customer_id": "cst_abc", "mollie_subscription_id": "sub_abc", "privacy_accepted": 1,
		"membership_status": "Lid", "chapter": "Nijmegen", "allows_access": None,
	}  # fmt: skip


@pytest.mark.parametrize(
	("cells", "message"),
	[
		({"lidnr": ""}, "Lidnr. is empty"),
		({"lidnr": "x1"}, "not a member number"),
		({"voornaam": ""}, "Voornaam is empty"),
		({"achternaam": None}, "Achternaam is empty"),
		({"email": ""}, "E-mailadres is empty"),
		({"email": "a.example.nl"}, "not a valid email address"),
		({"voornaam": "<b>Anna</b>"}, "contains HTML markup"),
		({"tussenvoegsel": "=van"}, "starts like a spreadsheet formula"),
		({"adres": "x" * 1001}, "Adres is longer than 1000 characters"),
	],
)
def test_problems_that_reject_the_row(cells, message):
	"""Identity and names must be right, or the row is not imported."""
	result = verdict(**cells)
	assert any(message in error for error in result.errors), result.errors


@pytest.mark.parametrize(
	("cells", "field", "message"),
	[
		({"iban": "NL10RABO1974232939"}, "iban", "IBAN: 'NL10RABO1974232939' is not a valid IBAN"),
		({"telefoon": "bel me"}, "phone", "Telefoonnr.: 'bel me' is not a phone number; not imported"),
		({"geboortedatum": "31-2-2000"}, "birth_date", "is not a date"),
		({"geboortedatum": "1-1-2030"}, "birth_date", "2030-01-01 lies in the future"),
		({"inschrijfdataum": "1-1-1850"}, "member_since", "is before 1900-01-01"),
		({"contributiebedrag": "-5"}, "contribution_amount", "not a plausible contribution"),
		({"betaalperiode": "wekelijks"}, "contribution_period", "not a payment period"),
		({"betaald": "misschien"}, "contribution_paid", "not Ja or Nee"),
		({"privacy": "?"}, "privacy_accepted", "not Ja or Nee"),
		({"mollie_cid": "sub_1"}, "mollie_customer_id", "not a Mollie id"),
		({"landcode": "Frankrijk"}, "country", "not a two-letter country code"),
		({"plaats": "<i>x</i>"}, "city", "Plaats: contains HTML markup; not imported"),
	],
)
def test_problems_that_drop_a_field(cells, field, message):
	"""The member is imported without the bad field, so no wrong value is ever stored."""
	result = verdict(**cells)
	assert result.ok, result.errors
	assert field not in result.member
	assert any(message in warning for warning in result.warnings), result.warnings


def test_bad_dutch_postcode_is_kept_as_typed():
	"""A mistyped postcode is flagged but kept: it still helps to find the address."""
	result = verdict(postcode=" 12345 ")
	assert result.ok and result.member["postal_code"] == "12345"
	assert result.warnings == ["Postcode: '12345' is not a Dutch postcode (1234 AB); imported as typed"]


def test_foreign_postcode_is_left_as_given():
	"""Outside NL the postcode is not checked."""
	result = verdict(landcode="be", postcode="B-1000")
	assert result.member["country"] == "BE" and result.member["postal_code"] == "B-1000"
	assert not result.warnings


def test_postcode_with_unknown_country_is_not_checked():
	"""When the country is unreadable, the postcode is kept as it is."""
	result = verdict(landcode="??", postcode="12345")
	assert result.member["postal_code"] == "12345" and len(result.warnings) == 1


def test_question_mark_in_a_name_is_flagged():
	"""A '?' in a name usually is a letter lost by a Windows-1252 save."""
	result = verdict(voornaam="Ay?e")
	assert result.ok and result.member["first_name"] == "Ay?e"
	assert "perhaps a letter lost" in result.warnings[0]


def test_future_dates_need_today():
	"""Without today, no future check (core never reads the clock)."""
	raw = dict(zip(ADMIN_HEADER, admin_row(geboortedatum="1-1-2999"), strict=True))
	values = {field: raw[header] for field, header in LABELS.items()}
	assert validate_row(SourceRow(2, raw), values, LABELS).member["birth_date"] == "2999-01-01"


def test_only_carried_fields_are_present():
	"""A field the file does not carry is absent, so an importer leaves it alone."""
	raw = {"Lidnr.": "1", "Voornaam": "A", "Achternaam": "B", "E-mailadres": "a@b.nl"}
	values = {"member_id": "1", "first_name": "A", "last_name": "B", "email": "a@b.nl"}
	result = validate_row(SourceRow(2, raw), values, LABELS, allows_access=True)
	assert result.member == {**values, "allows_access": True}


def test_empty_optional_cells_are_carried_as_empty():
	"""An empty cell in a carried column clears that field: the file says it is empty."""
	result = verdict(iban="", telefoon="", geboortedatum="", contributiebedrag="", betaalperiode="")
	assert result.ok and not result.warnings
	assert (result.member["iban"], result.member["phone"], result.member["birth_date"]) == ("", "", None)
	assert (result.member["contribution_amount"], result.member["contribution_period"]) == (None, "")
