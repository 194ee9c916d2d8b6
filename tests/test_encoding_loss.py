"""A re-import of a Windows-1252 CSV must not write "Y?lmaz" over a stored "Yılmaz"."""

import pytest

from verenigingen.core.encoding_loss import (
	as_saved_in,
	is_damaged_copy,
	keep_undamaged,
	narrow_encoding,
)


@pytest.mark.parametrize(
	"stored, incoming, damaged",
	[
		("Yılmaz", "Y?lmaz", True),
		("Ayşe", "Ay?e", True),
		("Çağla", "Ça?la", True),
		("Öztürk", "Öztürk", False),  # cp1252 holds ö and ü: equal, nothing to keep
		("Yılmaz", "Yilmaz", False),  # a real correction
		("Yılmaz", "Y?lmaz-Smit", False),  # a real change that also lost a letter
		("Jan", "J?n", False),  # "a" survives cp1252, so the "?" is what the file says
		("", "?", False),
		(None, "Y?lmaz", False),
	],
)
def test_damaged_copy_in_cp1252(stored, incoming, damaged):
	"""Only when the stored value, saved in the file's encoding, reads exactly like the incoming one."""
	assert is_damaged_copy(stored, incoming, "cp1252") is damaged


def test_comparison_ignores_surrounding_spaces_and_decomposed_letters():
	"""Desk may store ``Yılmaz `` or a decomposed ``ş``; the letters are what counts."""
	assert is_damaged_copy(" Yılmaz ", "Y?lmaz", "cp1252")
	assert is_damaged_copy("Ays\u0327e", "Ay?e", "cp1252")


def test_as_saved_in_replaces_each_lost_letter_with_a_question_mark():
	assert as_saved_in("Şükrü Yılmaz", "cp1252") == "?ükrü Y?lmaz"
	assert as_saved_in("Zoë", "ascii") == "Zo?"


def test_keep_undamaged_drops_only_the_damaged_changes():
	"""The damaged first name is kept as stored; a real change in the same row goes through."""
	stored = {"first_name": "Ayşe", "city": "Utrecht"}
	changes, kept = keep_undamaged(stored, {"first_name": "Ay?e", "city": "Arnhem"}, "cp1252")
	assert (changes, kept) == ({"city": "Arnhem"}, ["first_name"])


def test_no_encoding_means_nothing_is_kept():
	"""XLSX and UTF-8 files hold every letter: their "?" is meant."""
	changes = {"first_name": "Ay?e"}
	assert keep_undamaged({"first_name": "Ayşe"}, changes, None) == (changes, [])


@pytest.mark.parametrize(
	"encoding, is_ascii, narrow",
	[
		("cp1252", False, "cp1252"),
		("utf-8", False, None),
		("utf-8-sig", False, None),
		("utf-16", False, None),
		(None, False, None),
		("utf-8", True, "ascii"),  # read as UTF-8, but may be an Excel save whose only non-ASCII became "?"
	],
)
def test_narrow_encoding(encoding, is_ascii, narrow):
	assert narrow_encoding(encoding, is_ascii) == narrow
