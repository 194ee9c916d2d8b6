"""Letters a file lost to its encoding: a re-import must not write "Y?lmaz" over a stored "Yılmaz".

Dutch Excel saves CSV in Windows-1252, which has no "ı" or "ş": they become "?". When the stored value,
saved in the file's encoding, reads exactly like the incoming value, the file does not say anything
new about that field, only less; the stored value is kept.
"""

import codecs
import unicodedata

from verenigingen.core.member_diff import comparable

# encodings that hold every character: nothing can have been lost
UNICODE_ENCODINGS = frozenset({"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"})
ENCODING_NAMES = {"cp1252": "Windows-1252", "ascii": "ASCII"}


def narrow_encoding(encoding: str | None, data_is_ascii: bool = False) -> str | None:
	"""The encoding a file may have lost letters to: its own when narrow, ASCII for a pure-ASCII file.

	A file of ASCII only is read as UTF-8, but Excel writes one when every letter outside ASCII
	became "?", so it is judged as ASCII. None: the file can hold every letter (XLSX, UTF-8 text).
	"""
	if data_is_ascii:
		return "ascii"
	if not encoding or codecs.lookup(encoding).name in UNICODE_ENCODINGS:
		return None
	return codecs.lookup(encoding).name


def as_saved_in(text: str, encoding: str) -> str:
	"""``text`` after a save in ``encoding``: every letter it cannot hold becomes "?"."""
	return unicodedata.normalize("NFC", text).encode(encoding, errors="replace").decode(encoding)


def is_damaged_copy(stored: object, incoming: object, encoding: str) -> bool:
	"""True when ``incoming`` is ``stored`` after losing letters to ``encoding`` (and not simply equal)."""
	if not isinstance(stored, str) or not isinstance(incoming, str):
		return False
	stored_text, incoming_text = comparable("", stored), comparable("", incoming)
	if not stored_text or stored_text == incoming_text:
		return False
	return as_saved_in(stored_text, encoding) == incoming_text


def keep_undamaged(stored: dict, changes: dict, encoding: str | None) -> tuple[dict, list]:
	"""``(changes without the damaged copies, [fields whose stored value is kept])``."""
	if not encoding:
		return changes, []
	kept = [name for name, value in changes.items() if is_damaged_copy(stored.get(name), value, encoding)]
	return {name: value for name, value in changes.items() if name not in kept}, kept


def encoding_name(encoding: str) -> str:
	"""The name users know an encoding by."""
	return ENCODING_NAMES.get(encoding, encoding)
