"""verenigingen.core.names"""

from hypothesis import given
from hypothesis import strategies as st

from verenigingen.core.names import clean_name_part, compose_full_name, compose_sort_name, next_numbered_name


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


def test_next_numbered_name_follows_the_highest_number_not_the_last_in_order():
	taken = ["Jan de Jong-9", "Jan de Jong-10", "Jan de Jong-2"]
	assert next_numbered_name("Jan de Jong", taken) == "Jan de Jong-11"


def test_next_numbered_name_starts_at_one_and_ignores_what_is_not_a_number():
	assert next_numbered_name("Jan de Jong", []) == "Jan de Jong-1"
	assert next_numbered_name("Jan de Jong", ["Jan de Jong-Vries", "Jan de Jong-3a", "Jan de Jong-"]) == "Jan de Jong-1"


def test_next_numbered_name_compares_letter_case_as_the_database_does():
	assert next_numbered_name("Jan de Jong", ["jan de jong-4"]) == "Jan de Jong-5"


@given(st.lists(st.integers(min_value=1, max_value=10**6), max_size=20))
def test_next_numbered_name_is_one_past_the_highest(numbers):
	taken = [f"Eva Smit-{n}" for n in numbers]
	assert next_numbered_name("Eva Smit", taken) == f"Eva Smit-{max(numbers, default=0) + 1}"
