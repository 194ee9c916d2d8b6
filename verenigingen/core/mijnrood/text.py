"""Turning spreadsheet cells into clean text and spotting markup that has no place in member data."""

import re
import unicodedata
from datetime import datetime

from verenigingen.core.names import clean_name_part

# C0/C1 controls plus zero-width and bidi-override characters, which hide or reorder text on screen
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]|&#?[a-zA-Z0-9]+;|javascript:", re.IGNORECASE)


def cell_text(value: object) -> str:
	"""Render any cell value (None, number, date, text) as the text a user would read."""
	if value is None:
		return ""
	if isinstance(value, bool):
		return "1" if value else "0"
	if isinstance(value, float) and value.is_integer():
		return str(int(value))
	if isinstance(value, datetime):
		return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
	return str(value)


def clean_text(value: object) -> tuple[str, bool]:
	"""Strip invisible characters, collapse whitespace and trim; also say whether anything was removed."""
	text = unicodedata.normalize("NFC", cell_text(value))
	visible = _INVISIBLE.sub(" ", text)
	return clean_name_part(visible), visible != text


def has_markup(text: str) -> bool:
	"""True when ``text`` contains an HTML tag, an HTML entity or a script URL."""
	return bool(_MARKUP.search(text))


def header_key(header: object) -> str:
	"""Reduce a column header to lowercase letters and digits, so case, spacing and dots do not matter."""
	text = unicodedata.normalize("NFKC", cell_text(header)).casefold()
	return "".join(ch for ch in text if ch.isalnum())
