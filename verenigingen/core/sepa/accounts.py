"""Bank accounts: IBAN validation (python-stdnum), BIC derivation (schwifty), masking for logs."""

from dataclasses import dataclass

import schwifty
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError

from verenigingen.core.masking import mask_iban, mask_ibans_in_text

__all__ = [
	"CheckedIban",
	"bank_id",
	"check_iban",
	"derive_bic",
	"iban_reason_text",
	"mask_iban",
	"mask_ibans_in_text",
	"masked_details",
]


@dataclass(frozen=True)
class CheckedIban:
	"""An IBAN after checking: compact form when valid, else the reason it is not."""

	compact: str
	valid: bool
	reason: str = ""

	@property
	def masked(self) -> str:
		return mask_iban(self.compact)

	@property
	def problem(self) -> str:
		"""Why it is not valid, in words an administrator understands ("" when valid)."""
		return "" if self.valid else iban_reason_text(self.reason)


def check_iban(value: str | None) -> CheckedIban:
	"""Compact and check an IBAN (country length and mod-97); never raises."""
	compact = stdnum_iban.compact(value or "")
	if not compact:
		return CheckedIban("", False, "missing")
	try:
		return CheckedIban(stdnum_iban.validate(compact), True)
	except ValidationError as exc:
		return CheckedIban(compact, False, type(exc).__name__)


# python-stdnum's exception names, in words an administrator understands
IBAN_REASONS = {
	"missing": "no IBAN",
	"InvalidChecksum": "check digits do not match",
	"InvalidLength": "wrong length for its country",
	"InvalidComponent": "unknown country or bank code",
}


def iban_reason_text(reason: str) -> str:
	"""The words for an IBAN check that failed: ``reason`` is CheckedIban.reason (an exception name)."""
	return IBAN_REASONS.get(reason, "wrong format")


def derive_bic(iban: str) -> str:
	"""The BIC of the IBAN's bank from schwifty's offline registry; empty when unknown."""
	try:
		bic = schwifty.IBAN(iban).bic
	except ValueError:  # schwifty raises subclasses of ValueError for unknown or bad IBANs
		return ""
	return str(bic) if bic else ""


def bank_id(iban: str) -> str:
	"""Country and national bank code of an IBAN (``NL:ABNA``); the compact IBAN itself when unknown."""
	try:
		parsed = schwifty.IBAN(iban)
	except ValueError:
		return stdnum_iban.compact(iban or "")
	return f"{parsed.country_code}:{parsed.bank_code}"


def masked_details(value):
	"""Mask every IBAN-like text in a JSON-able structure (dict keys stay)."""
	if isinstance(value, dict):
		return {key: masked_details(item) for key, item in value.items()}
	if isinstance(value, list | tuple):
		return [masked_details(item) for item in value]
	if isinstance(value, str):
		return mask_ibans_in_text(value)
	return value
