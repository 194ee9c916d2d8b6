"""The admin list shape: required columns, header-only refusal, carried fields."""

import pytest

from verenigingen.core.mijnrood.admin_list import parse_admin_table
from verenigingen.core.mijnrood.errors import MijnroodFileError
from verenigingen.core.mijnrood.table import build_table

from .builders import ADMIN_HEADER, MEMBER_HEADER, admin_row


def table(header: list, *rows: list):
	"""A SourceTable from a header and rows numbered from 2."""
	return build_table(header, [(i, row) for i, row in enumerate(rows, start=2)], "leden.csv")


def test_fewer_columns_carry_fewer_fields():
	"""A selection export without IBAN and Betaald neither sets nor clears them."""
	keep = [i for i, h in enumerate(ADMIN_HEADER) if h not in ("IBAN", "Betaald")]
	header = [ADMIN_HEADER[i] for i in keep]
	row = admin_row()
	parsed = parse_admin_table(table(header, [row[i] for i in keep]), "csv", None, "leden.csv", None)
	assert {"iban", "contribution_paid"}.isdisjoint(parsed.carried_fields)
	assert {"iban", "contribution_paid"}.isdisjoint(parsed.rows[0].member)


def test_header_only_is_refused():
	"""An admin list without members is more likely a wrong selection than an empty association."""
	with pytest.raises(MijnroodFileError, match="has a header row but no members"):
		parse_admin_table(table(ADMIN_HEADER), "csv", None, "leden.csv", None)


def test_lone_admin_member_table_gets_guidance():
	"""admin_member.csv alone cannot resolve groups and statuses: ask for the whole export."""
	with pytest.raises(MijnroodFileError, match="upload the whole export folder as a ZIP"):
		parse_admin_table(table(MEMBER_HEADER), "csv", None, "admin_member.csv", None)


def test_unknown_columns_are_kept_in_raw_but_ignored():
	"""Extra columns (a user's notes, a previous Reden) travel along for the report only."""
	parsed = parse_admin_table(
		table(ADMIN_HEADER + ["Notitie"], admin_row() + ["bel terug"]), "csv", None, "x", None
	)
	assert parsed.rows[0].raw["Notitie"] == "bel terug"
	assert "Notitie" not in parsed.rows[0].member
