"""Normalising the non-contact cells: member number, dates, money, contribution period, yes/no, Mollie ids."""

import re
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from verenigingen.core.mijnrood.errors import InvalidValue
from verenigingen.core.mijnrood.text import cell_text, header_key

MAX_MEMBER_ID_DIGITS = 18
MAX_AMOUNT_EUROS = Decimal("100000")
CENTS = Decimal("0.01")
# Excel's day 0 is 1899-12-30 because it wrongly treats 1900 as a leap year
EXCEL_EPOCH = date(1899, 12, 30)
MAX_EXCEL_SERIAL = 2958465

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DUTCH_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_MOLLIE_ID = re.compile(r"[A-Za-z0-9]+")
_PERIODS = {
	"monthly": ("0", "maandelijks", "permaand", "maand", "monthly"),
	"quarterly": ("1", "perkwartaal", "kwartaal", "kwartaallijks", "driemaandelijks", "quarterly"),
	"annually": ("2", "jaarlijks", "perjaar", "jaar", "annually", "yearly"),
}
PERIOD_BY_KEY = {key: period.capitalize() for period, keys in _PERIODS.items() for key in keys}
_YES = {"ja", "j", "yes", "y", "1", "true", "waar"}
_NO = {"nee", "n", "no", "0", "false", "onwaar"}


def normalise_member_id(value: object) -> str:
	"""Return the Mijnrood member number as a string of digits without leading zeros."""
	text = cell_text(value).strip()
	if not text:
		return ""
	if not text.isdigit() or not text.isascii() or len(text) > MAX_MEMBER_ID_DIGITS or int(text) == 0:
		raise InvalidValue("'{0}' is not a member number", text[:40])
	return str(int(text))


def normalise_date(value: object) -> str | None:
	"""Return a date as ``YYYY-MM-DD``; accepts Excel date cells, ISO and ``d-m-yyyy`` text."""
	if isinstance(value, datetime):
		return value.date().isoformat()
	if isinstance(value, date):
		return value.isoformat()
	if isinstance(value, int | float) and not isinstance(value, bool):
		return _from_excel_serial(value)
	text = cell_text(value).strip()
	if not text:
		return None
	return _parse_date_text(text)


def _from_excel_serial(serial: float) -> str:
	"""Turn an Excel serial day number (a date cell formatted as a number) into a date."""
	if not 1 <= serial <= MAX_EXCEL_SERIAL:
		raise InvalidValue("'{0}' is not a date", serial)
	return (EXCEL_EPOCH + timedelta(days=int(serial))).isoformat()


NOT_A_DATE = "'{0}' is not a date (use d-m-yyyy or yyyy-mm-dd)"


def _parse_date_text(text: str) -> str:
	"""Parse ISO ``2024-11-03`` or Dutch ``3-11-2024`` (also with ``/`` or ``.``)."""
	iso, dutch = _ISO_DATE.fullmatch(text), _DUTCH_DATE.fullmatch(text)
	parts = (iso[1], iso[2], iso[3]) if iso else (dutch[3], dutch[2], dutch[1]) if dutch else None
	try:
		if parts:
			return date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat()
	except ValueError as exc:  # shaped like a date but impossible, e.g. 31-2-2024
		raise InvalidValue(NOT_A_DATE, text[:40]) from exc
	raise InvalidValue(NOT_A_DATE, text[:40])


def normalise_amount(value: object, in_cents: bool = False) -> Decimal | None:
	"""Return an amount in euros with two decimals; accepts numbers, ``7,50``, ``1.234,56`` and cents."""
	if isinstance(value, bool):
		raise InvalidValue("'{0}' is not an amount", value)
	text = cell_text(value).replace("€", "").replace("EUR", "").replace("\xa0", "").replace(" ", "")
	if not text:
		return None
	amount = _parse_decimal(text, in_cents)
	if in_cents:
		amount = amount / 100
	if amount < 0 or amount > MAX_AMOUNT_EUROS:
		raise InvalidValue("'{0}' is not a plausible contribution", text[:40])
	return amount.quantize(CENTS, rounding=ROUND_HALF_UP)


def _parse_decimal(text: str, whole: bool) -> Decimal:
	"""Parse a decimal written with a comma or point; the last separator is the decimal one."""
	if "," in text and "." in text:
		thousands = "." if text.rfind(",") > text.rfind(".") else ","
		text = text.replace(thousands, "")
	text = text.replace(",", ".")
	pattern = r"-?\d+" if whole else r"-?\d+(\.\d+)?"
	if len(text) > 30 or not re.fullmatch(pattern, text):
		raise InvalidValue("'{0}' is not an amount", text[:40])
	try:
		return Decimal(text)
	except InvalidOperation:
		raise InvalidValue("'{0}' is not an amount", text[:40]) from None


def normalise_period(value: object) -> str:
	"""Return ``Monthly``, ``Quarterly`` or ``Annually`` from Dutch words or Mijnrood codes 0/1/2."""
	if not cell_text(value).strip():
		return ""
	key = header_key(value)
	if key not in PERIOD_BY_KEY:
		raise InvalidValue("'{0}' is not a payment period", cell_text(value)[:40])
	return PERIOD_BY_KEY[key]


def normalise_flag(value: object) -> int:
	"""Return 1 for Ja/yes/1/true and 0 for Nee/no/0/false or an empty cell."""
	key = header_key(value)
	if not cell_text(value).strip() or key in _NO:
		return 0
	if key in _YES:
		return 1
	raise InvalidValue("'{0}' is not Ja or Nee", cell_text(value)[:40])


def normalise_mollie_id(value: object, prefix: str) -> str:
	"""Check a Mollie id such as ``cst_8wmqcHMN4U`` or ``sub_rVKGtNd6s3``."""
	text = cell_text(value).strip()
	if not text:
		return ""
	head, _, tail = text.partition("_")
	if head != prefix or not _MOLLIE_ID.fullmatch(tail) or len(text) > 64:
		raise InvalidValue("'{0}' is not a Mollie id starting with {1}_", text[:40], prefix)
	return text
