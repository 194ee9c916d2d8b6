"""Masking bank account numbers before text goes to a log, an alert or a shared screen."""

import re

# an IBAN as typed: country, check digits, then 10-30 letters/digits, possibly in groups of four
_IBAN = re.compile(r"\b([A-Z]{2})(\d{2})((?:[ ]?[A-Z0-9]){10,30})\b", re.IGNORECASE)
VISIBLE_TAIL = 4


def mask_iban(iban: str) -> str:
	"""``NL91ABNA0417164300`` -> ``NL**...**4300`` (country and last four characters stay)."""
	compact = re.sub(r"\s+", "", str(iban or ""))
	if len(compact) <= VISIBLE_TAIL + 2:
		return "*" * len(compact)
	return f"{compact[:2]}**...**{compact[-VISIBLE_TAIL:]}"


def mask_ibans_in_text(text: str) -> str:
	"""Replace everything in ``text`` that looks like an IBAN by its masked form."""
	return _IBAN.sub(lambda match: mask_iban(match.group(0)), str(text or ""))
