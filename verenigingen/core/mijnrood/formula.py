"""Keep values we write into CSV/XLSX from being run as spreadsheet formulas (CSV injection)."""

import re

import phonenumbers

_TRIGGERS = "=+-@"
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_PHONE_CHARS = re.compile(r"\+[\d ()./-]+")


def _is_phone(text: str) -> bool:
	"""True for an international phone number such as ``+31 6 1234 5678``."""
	if not _PHONE_CHARS.fullmatch(text):
		return False
	try:
		return phonenumbers.is_possible_number(phonenumbers.parse(text, None))
	except phonenumbers.NumberParseException:
		return False


def is_formula_like(value: object) -> bool:
	"""True when a spreadsheet could evaluate ``value`` instead of showing it as text."""
	if not isinstance(value, str) or not value:
		return False
	# a leading tab or CR starts a new cell or formula in some importers (OWASP)
	if value[0] in "\t\r":
		return True
	head = value.lstrip()
	if not head or head[0] not in _TRIGGERS:
		return False
	return not (_NUMBER.fullmatch(head) or _is_phone(head))


def make_cell_safe(value: object) -> object:
	"""Return ``value`` ready for a CSV/XLSX cell: formula-like text gets a leading ``'``."""
	if is_formula_like(value):
		return "'" + value
	return value
