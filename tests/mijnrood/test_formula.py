"""CSV injection: formula-like text is escaped, numbers and phone numbers are data."""

from datetime import date

import pytest

from verenigingen.core.mijnrood.formula import is_formula_like, make_cell_safe


@pytest.mark.parametrize(
	"value",
	["=1+1", "+cmd|' /C calc'!A0", "-2+3+cmd|x", "@SUM(A1)", "\t=1", "\rx", " =HYPERLINK(1)", "-", "+"],
)
def test_formula_like_values(value):
	"""Anything a spreadsheet could evaluate is formula-like and gets a quote."""
	assert is_formula_like(value)
	assert make_cell_safe(value) == "'" + value


@pytest.mark.parametrize(
	"value",
	["+31612345678", "+31 6 1234 5678", "-7,50", "-12", "+3.5", "Anna", "'t Hooft", "", "06-12345678"],
)
def test_data_is_left_alone(value):
	"""Phone numbers, numbers and ordinary text are not formulas."""
	assert not is_formula_like(value)
	assert make_cell_safe(value) == value


@pytest.mark.parametrize("value", [None, 12, -5.5, date(2024, 1, 1)])
def test_non_text_is_returned_unchanged(value):
	"""Only text can be a formula."""
	assert make_cell_safe(value) is value
