"""Dutch personal names: a tussenvoegsel ("van der", "'t") sits between first and last name."""

import re

_SPACES = re.compile(r"\s+")


def clean_name_part(value: str | None) -> str:
	"""Trim a name part and collapse inner whitespace; ``None`` becomes ``""``."""
	if value is None:
		return ""
	return _SPACES.sub(" ", str(value)).strip()


def compose_full_name(first_name: str | None, tussenvoegsel: str | None, last_name: str | None) -> str:
	"""Compose the name as it is written in running text: ``Jan van der Berg``."""
	parts = (clean_name_part(first_name), clean_name_part(tussenvoegsel), clean_name_part(last_name))
	return " ".join(part for part in parts if part)


def compose_sort_name(first_name: str | None, tussenvoegsel: str | None, last_name: str | None) -> str:
	"""Compose the name as it is sorted in a Dutch list: ``Berg, Jan van der``."""
	last = clean_name_part(last_name)
	given = " ".join(p for p in (clean_name_part(first_name), clean_name_part(tussenvoegsel)) if p)
	if last and given:
		return f"{last}, {given}"
	return last or given


_NUMBER = re.compile(r"[0-9]+")


def next_numbered_name(name: str, taken: list[str], separator: str = "-") -> str:
	"""The name a namesake gets, as Frappe's ``append_number_if_name_exists`` gives it.

	``taken`` are the names that start with ``name`` and the separator (in any letter case, as
	the database compares them); the result carries the number after the highest of those that
	end in digits only, or 1: ``Jan de Jong-10`` after ``-9`` and ``-10``.
	"""
	prefix = f"{name}{separator}"
	numbers = [int(found[len(prefix):]) for found in taken
		if found.lower().startswith(prefix.lower()) and _NUMBER.fullmatch(found[len(prefix):])]
	return f"{prefix}{max(numbers, default=0) + 1}"
