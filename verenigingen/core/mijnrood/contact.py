"""Normalising how a member is reached: email, phone, postal address country and postcode, IBAN."""

import re

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError
from stdnum.nl import postcode as nl_postcode

from verenigingen.core.mijnrood.errors import InvalidValue
from verenigingen.core.mijnrood.text import cell_text, clean_text
from verenigingen.core.sepa.accounts import iban_reason_text

DEFAULT_COUNTRY = "NL"
PHONE_REGION = "NL"
MAX_EMAIL_CHARS = 254
MAX_PHONE_CHARS = 40

_IS_POSSIBLE = phonenumbers.ValidationResult.IS_POSSIBLE
# characters never valid in an address, including invisible and bidi controls that disguise one
_NOT_IN_EMAIL = r"@\s<>()\[\],;:\"\\\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"
_EMAIL = re.compile(f"[^{_NOT_IN_EMAIL}]+@[^{_NOT_IN_EMAIL}]+")
_COUNTRY_NAMES = {
	"NEDERLAND": "NL",
	"NETHERLANDS": "NL",
	"THE NETHERLANDS": "NL",
	"HOLLAND": "NL",
	"NLD": "NL",
	"BELGIE": "BE",
	"BELGIË": "BE",
	"BELGIUM": "BE",
	"BEL": "BE",
	"DUITSLAND": "DE",
	"GERMANY": "DE",
	"DEU": "DE",
}


def normalise_email(value: object) -> str:
	"""Lowercase and check an email address: one ``@``, a dot in the domain, no spaces."""
	text = cell_text(value).strip().lower()
	if not text:
		return ""
	if len(text) > MAX_EMAIL_CHARS or not _EMAIL.fullmatch(text):
		raise InvalidValue("'{0}' is not a valid email address", text[:80])
	domain = text.split("@", 1)[1]
	if "." not in domain or domain.startswith(".") or domain.endswith(".") or ".." in domain:
		raise InvalidValue("'{0}' is not a valid email address", text[:80])
	return text


def normalise_phone(value: object) -> str:
	"""Return a phone number in E.164 (``+31612345678``); national numbers are read as Dutch."""
	text = cell_text(value).strip()
	if not text:
		return ""
	if len(text) > MAX_PHONE_CHARS:
		raise InvalidValue("phone number is too long")
	try:
		number = phonenumbers.parse(text, PHONE_REGION)
	except phonenumbers.NumberParseException:
		raise InvalidValue("'{0}' is not a phone number", text) from None
	if not _is_plausible_phone(number):
		raise InvalidValue("'{0}' is not a phone number", text)
	return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _is_plausible_phone(number: phonenumbers.PhoneNumber) -> bool:
	"""Valid, or at least the full length of a mobile or fixed-line number of its country."""
	# length rather than validity alone: number ranges are opened faster than the phonenumbers
	# metadata is updated, and a real member must not lose a real number
	if phonenumbers.is_valid_number(number):
		return True
	return any(
		phonenumbers.is_possible_number_for_type_with_reason(number, kind) == _IS_POSSIBLE
		for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE)
	)


def normalise_country(value: object) -> str:
	"""Return an ISO 3166-1 alpha-2 code; empty means the Netherlands."""
	text = clean_text(value)[0].upper()
	if not text:
		return DEFAULT_COUNTRY
	text = _COUNTRY_NAMES.get(text, text)
	if len(text) != 2 or not text.isascii() or not text.isalpha():
		raise InvalidValue("'{0}' is not a two-letter country code", text[:40])
	return text


def normalise_postcode(value: object, country: str = DEFAULT_COUNTRY) -> str:
	"""Return a Dutch postcode as ``1234 AB``; foreign postcodes are only trimmed."""
	text = clean_text(value)[0]
	if not text or country != "NL":
		return text
	try:
		compact = nl_postcode.compact(nl_postcode.validate(text))
	except ValidationError:
		raise InvalidValue("'{0}' is not a Dutch postcode (1234 AB)", text[:40]) from None
	return f"{compact[:4]} {compact[4:]}"


def normalise_iban(value: object) -> str:
	"""Return an IBAN compact and uppercase after checking its country length and mod-97 checksum."""
	text = cell_text(value).strip()
	if not text:
		return ""
	try:
		return stdnum_iban.validate(text)
	except ValidationError as exc:
		raise InvalidValue("'{0}' is not a valid IBAN ({1})", text[:40], _iban_reason(exc)) from None


def _iban_reason(exc: ValidationError) -> str:
	return iban_reason_text(type(exc).__name__)
