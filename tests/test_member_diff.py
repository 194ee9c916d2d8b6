"""Comparing an export's member record with the stored Member."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from verenigingen.core.member_diff import comparable, diff_member, member_values

STORED = {
	"name": "1000",
	"member_id": "1000",
	"first_name": "Anna",
	"tussenvoegsel": "van",
	"last_name": "Haan",
	"email": "anna@example.nl",
	"phone": "+31612345678",
	"birth_date": date(2006, 7, 7),
	"member_since": date(2025, 3, 17),
	"contribution_amount": 25.0,
	"contribution_paid": 1,
	"privacy_accepted": 0,
	"iban": None,
	"chapter": "Nijmegen",
}


@pytest.mark.parametrize(
	"field, stored, incoming",
	[
		("birth_date", date(2006, 7, 7), "2006-07-07"),
		("member_since", datetime(2025, 3, 17, 0, 0), "2025-03-17"),
		("contribution_amount", 25.0, Decimal("25.00")),
		("contribution_amount", Decimal("7.500000000"), Decimal("7.50")),
		("contribution_amount", 0.0, None),
		("contribution_paid", 0, None),
		("privacy_accepted", 1, True),
		("iban", None, ""),
		("phone", "", None),
		("city", " Utrecht ", "Utrecht"),
	],
)
def test_equal_values_in_different_storage_forms(field, stored, incoming):
	"""Database and parser spellings of the same value compare equal."""
	assert comparable(field, stored) == comparable(field, incoming)


def test_same_record_has_no_changes():
	"""Re-importing what is stored changes nothing."""
	incoming = {k: v for k, v in STORED.items() if k != "name"}
	incoming.update(
		birth_date="2006-07-07", member_since="2025-03-17", contribution_amount=Decimal("25.00"), iban=""
	)
	assert diff_member(STORED, incoming) == {}


def test_only_changed_fields_are_returned():
	"""A changed phone and city come back; equal fields do not."""
	incoming = {"member_id": "1000", "phone": "+31687654321", "city": "Arnhem", "first_name": "Anna"}
	assert diff_member(STORED, incoming) == {"phone": "+31687654321", "city": "Arnhem"}


def test_fields_not_carried_are_never_touched():
	"""A field absent from the record (not in the file, or dropped) is not compared."""
	assert diff_member(STORED, {"member_id": "1000"}) == {}


def test_empty_date_never_clears_a_stored_date():
	"""member_since and birth_date do not become unknown because a cell is empty."""
	assert diff_member(STORED, {"member_since": None, "birth_date": ""}) == {}


def test_empty_text_clears_a_stored_text():
	"""The file says the phone is empty now: that is a change."""
	assert diff_member(STORED, {"phone": ""}) == {"phone": ""}


def test_allows_access_is_not_a_member_field():
	"""The parser's access flag never reaches the Member."""
	assert "allows_access" not in diff_member(STORED, {"allows_access": False})
	assert "allows_access" not in member_values({"first_name": "A", "last_name": "B", "allows_access": True})


def test_member_values_compose_the_full_name():
	"""A new member gets its Dutch full name composed."""
	values = member_values({"first_name": "Jan", "tussenvoegsel": "van der", "last_name": "Berg"})
	assert values["full_name"] == "Jan van der Berg"
