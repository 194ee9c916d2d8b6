"""Matching headers to member fields, tolerant of case, spacing, dots and the Mijnrood misspelling."""

import pytest

from verenigingen.core.mijnrood.columns import (
	ADMIN_COLUMNS,
	ADMIN_REQUIRED,
	EVERYTHING_COLUMNS,
	EVERYTHING_REQUIRED,
	looks_like_admin_member_table,
	resolve_columns,
)
from verenigingen.core.mijnrood.errors import MijnroodFileError
from verenigingen.core.mijnrood.model import MEMBER_FIELDS

from .builders import ADMIN_HEADER, MEMBER_HEADER


def test_admin_header_maps_every_member_field():
	"""The real admin header carries all 21 Member fields."""
	columns = resolve_columns(ADMIN_HEADER, ADMIN_COLUMNS, ADMIN_REQUIRED, "x")
	assert set(columns) == set(MEMBER_FIELDS)
	assert columns["member_since"] == "Inschrijfdataum"


def test_everything_header_maps_all_but_paid():
	"""admin_member.csv has no paid-for-this-period column."""
	columns = resolve_columns(MEMBER_HEADER, EVERYTHING_COLUMNS, EVERYTHING_REQUIRED, "x")
	assert set(columns) == set(MEMBER_FIELDS) - {"contribution_paid"}


@pytest.mark.parametrize(
	"headers",
	[
		["lidnr", "VOORNAAM", " Achternaam ", "E-mailadres."],
		["Lidnr", "Voornaam.", "achter naam", "e-mail adres"],
	],
)
def test_headers_match_tolerantly(headers):
	"""Case, spacing and a trailing dot do not matter."""
	columns = resolve_columns(headers + ["Inschrijfdatum"], ADMIN_COLUMNS, ADMIN_REQUIRED, "x")
	assert columns["member_id"] == headers[0] and columns["member_since"] == "Inschrijfdatum"


def test_missing_required_columns_are_named():
	"""The message lists the missing columns as Mijnrood spells them."""
	with pytest.raises(MijnroodFileError, match=r"missing required column\(s\): Voornaam, E-mailadres"):
		resolve_columns(["Lidnr.", "Achternaam"], ADMIN_COLUMNS, ADMIN_REQUIRED, "x")


def test_two_spellings_of_one_column_are_refused():
	"""Both Inschrijfdataum and Inschrijfdatum: which one is right cannot be guessed."""
	with pytest.raises(MijnroodFileError, match="hold the same data"):
		resolve_columns(ADMIN_HEADER + ["Inschrijfdatum"], ADMIN_COLUMNS, ADMIN_REQUIRED, "x")


def test_looks_like_admin_member_table():
	"""A lone admin_member.csv is recognised so the user can be told what to upload instead."""
	assert looks_like_admin_member_table(MEMBER_HEADER)
	assert not looks_like_admin_member_table(ADMIN_HEADER)


def test_admin_headers_are_mijnrood_columns_a_to_u():
	"""The core's header row is the documented one, in Mijnrood's order."""
	from verenigingen.core.mijnrood.columns import ADMIN_HEADERS

	assert list(ADMIN_HEADERS) == ADMIN_HEADER
