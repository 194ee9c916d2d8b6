"""Cells to text, cleaning invisible characters, spotting markup, tolerant header keys."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from verenigingen.core.mijnrood.text import cell_text, clean_text, has_markup, header_key


@pytest.mark.parametrize(
	("value", "text"),
	[
		(None, ""),
		(True, "1"),
		(1000, "1000"),
		(1000.0, "1000"),
		(7.5, "7.5"),
		(Decimal("7.50"), "7.50"),
		(datetime(2024, 11, 3), "2024-11-03"),
		(datetime(2024, 11, 3, 8, 30), "2024-11-03 08:30:00"),
		(date(2024, 11, 3), "2024-11-03"),
		(" Anna ", " Anna "),
	],
)
def test_cell_text(value, text):
	"""Every cell type reads as a person would read it."""
	assert cell_text(value) == text


@pytest.mark.parametrize(
	("value", "cleaned", "removed"),
	[
		("  Jan   Willem ", "Jan Willem", False),
		("An\u202ena", "An na", True),
		("Zo\u00eb", "Zoë", False),
		("Zoe\u0308", "Zoë", False),
		("A\x00B\x07", "A B", True),
		(None, "", False),
	],
)
def test_clean_text(value, cleaned, removed):
	"""Whitespace collapses, NFC applies, invisible characters are removed and reported."""
	assert clean_text(value) == (cleaned, removed)


@pytest.mark.parametrize(
	("text", "markup"),
	[
		("<script>alert(1)</script>", True),
		("< b>", True),
		("&amp;", True),
		("&#60;", True),
		("javascript:alert(1)", True),
		("Jansen & Zn", False),
		("1 < 2", False),
		("O'Neill", False),
	],
)
def test_has_markup(text, markup):
	"""Tags, entities and script URLs count as markup; a lone & or < does not."""
	assert has_markup(text) is markup


@pytest.mark.parametrize("header", ["Lidnr.", "lidnr", " LIDNR ", "Lid nr.", "\ufeffLidnr.", "Lid-nr"])
def test_header_key_ignores_case_spacing_dots(header):
	"""Header variants reduce to the same key."""
	assert header_key(header) == "lidnr"
