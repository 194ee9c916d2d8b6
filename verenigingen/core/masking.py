"""Masking bank account numbers before text goes to a log, an alert or a shared screen."""

import re

# An IBAN as typed: country, check digits, then either 10-30 letters/digits run together or
# groups of four separated by single spaces (the last group may be shorter). A word after the
# IBAN is never taken for part of it.
_IBAN = re.compile(
	r"\b[A-Z]{2}\d{2}(?:[A-Z0-9]{10,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)\b", re.IGNORECASE
)
VISIBLE_HEAD = 4  # country and check digits
VISIBLE_TAIL = 4
HIDDEN = "****"


def mask_iban(iban: str) -> str:
	"""``NL91ABNA0417164300`` -> ``NL91****4300`` (country, check digits and last four stay)."""
	compact = re.sub(r"\s+", "", str(iban or "")).upper()
	if len(compact) <= VISIBLE_HEAD + VISIBLE_TAIL:
		return "*" * len(compact)
	return f"{compact[:VISIBLE_HEAD]}{HIDDEN}{compact[-VISIBLE_TAIL:]}"


def mask_ibans_in_text(text: str) -> str:
	"""Replace everything in ``text`` that looks like an IBAN by its masked form."""
	return _IBAN.sub(lambda match: mask_iban(match.group(0)), str(text or ""))
