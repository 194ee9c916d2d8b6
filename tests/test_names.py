"""verenigingen.core.names"""

from hypothesis import given
from hypothesis import strategies as st

from verenigingen.core.names import clean_name_part, compose_full_name, compose_sort_name


def test_clean_name_part_trims_and_collapses():
	"""Whitespace is trimmed and collapsed."""
	assert clean_name_part("  van \t der  ") == "van der"
	assert clean_name_part(None) == ""


def test_compose_full_name_with_tussenvoegsel():
	"""Jan van der Berg."""
	assert compose_full_name("Jan", "van der", "Berg") == "Jan van der Berg"
	assert compose_full_name("Jan", "", "Berg") == "Jan Berg"
	assert compose_full_name("Kees", "in 't", "Veld") == "Kees in 't Veld"


def test_compose_full_name_keeps_diacritics():
	"""Diacritics survive."""
	assert compose_full_name("Çağla", None, "Öztürk") == "Çağla Öztürk"


def test_compose_sort_name():
	"""Berg, Jan van der."""
	assert compose_sort_name("Jan", "van der", "Berg") == "Berg, Jan van der"
	assert compose_sort_name("", "", "Berg") == "Berg"
	assert compose_sort_name("Jan", "", "") == "Jan"


@given(st.text(), st.text(), st.text())
def test_full_name_has_no_outer_or_double_spaces(first, middle, last):
	"""Composition never yields stray whitespace."""
	full = compose_full_name(first, middle, last)
	assert full == full.strip()
	assert "  " not in full
