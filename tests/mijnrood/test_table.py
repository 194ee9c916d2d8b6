"""Building a table from a header row and numbered records."""

import pytest

from verenigingen.core.mijnrood.errors import MijnroodFileError
from verenigingen.core.mijnrood.table import build_table, is_secret_column


@pytest.mark.parametrize(
	("header", "secret"),
	[
		("password_hash", True),
		("new_password_token", True),
		("new_password_token_generated_time", True),
		("Password Hash", True),
		("email", False),
		("comments", False),
	],
)
def test_secret_columns(header, secret):
	"""Password hashes and reset tokens are recognised whatever the spelling."""
	assert is_secret_column(header) is secret


def test_secret_and_unnamed_columns_are_never_kept():
	"""Credentials and columns without a header do not reach the rows."""
	table = build_table(
		["id", "password_hash", "", "email"], [(2, ["1", "$2y$13$abc", "x", "a@b.nl"])], "t.csv"
	)
	assert table.headers == ["id", "email"]
	assert table.rows[0].raw == {"id": "1", "email": "a@b.nl"}


def test_blank_rows_are_skipped_and_short_rows_padded():
	"""Empty rows vanish; missing trailing cells count as empty; row numbers are kept."""
	table = build_table(["a", "b"], [(2, ["", " "]), (3, ["x"]), (5, [None, None])], "t.csv")
	assert [(row.row_number, row.raw) for row in table.rows] == [(3, {"a": "x", "b": None})]


def test_extra_cells_with_data_are_a_row_problem():
	"""A cell beyond the header that holds data is reported; empty surplus cells are not."""
	table = build_table(["a"], [(2, ["x", "", ""]), (3, ["y", "z"])], "t.csv")
	assert [bool(row.problems) for row in table.rows] == [False, True]


@pytest.mark.parametrize(
	("header", "message"),
	[
		([], "has no header row"),
		(["", None], "has no header row"),
		(["a", "A."], "are the same column"),
		(["x", "x"], "column 'x' appears twice"),
		(["#", "#"], "column '#' appears twice"),
	],
)
def test_bad_header_rejects_the_file(header, message):
	"""No header or duplicated columns make the file unusable."""
	with pytest.raises(MijnroodFileError) as caught:
		build_table(header, [], "t.csv")
	assert message in caught.value.message
