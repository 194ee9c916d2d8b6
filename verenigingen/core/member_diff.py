"""Comparing a member record from an export with the stored Member: which fields to write, if any.

Both sides are reduced to one comparable form per field first, so a value that Frappe stores
differently (a date object, ``0.0`` for an empty amount, ``""`` for an empty text) never counts
as a change. Only keys present in the incoming record are compared: a field the file does not
carry is never touched.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from verenigingen.core.mijnrood.model import MEMBER_FIELDS
from verenigingen.core.names import compose_full_name

DATE_FIELDS = frozenset({"birth_date", "member_since"})
AMOUNT_FIELDS = frozenset({"contribution_amount"})
FLAG_FIELDS = frozenset({"contribution_paid", "privacy_accepted"})
NAME_FIELDS = ("first_name", "tussenvoegsel", "last_name")
# Facts that do not become unknown: an empty cell never clears a stored value.
NEVER_CLEARED = frozenset({"birth_date", "member_since"})
CENT = Decimal("0.01")


def comparable(field: str, value: object) -> object:
	"""The value of ``field`` in the one form used to compare file and database."""
	if field in DATE_FIELDS:
		return _comparable_date(value)
	if field in AMOUNT_FIELDS:
		return _comparable_amount(value)
	if field in FLAG_FIELDS:
		return 1 if value not in (None, "", 0, "0", False) else 0
	text = "" if value is None else str(value).strip()
	return text or None


def _comparable_date(value: object) -> str | None:
	if isinstance(value, datetime):
		return value.date().isoformat()
	if isinstance(value, date):
		return value.isoformat()
	text = "" if value is None else str(value).strip()
	return text[:10] or None


def _comparable_amount(value: object) -> Decimal:
	"""Frappe stores an empty Currency as 0, so empty and zero are the same amount."""
	if value in (None, ""):
		return Decimal("0.00")
	try:
		return Decimal(str(value)).quantize(CENT)
	except InvalidOperation:
		return Decimal("0.00")


def diff_member(stored: dict, incoming: dict, fields: tuple = MEMBER_FIELDS) -> dict:
	"""The fields of ``incoming`` whose value differs from ``stored``: ``{field: incoming value}``."""
	changes = {}
	for field in fields:
		if field not in incoming:
			continue
		new = comparable(field, incoming[field])
		if new is None and field in NEVER_CLEARED:
			continue
		if new != comparable(field, stored.get(field)):
			changes[field] = incoming[field]
	return changes


def member_values(record: dict) -> dict:
	"""The Member fields of a parsed record (drops ``allows_access``), plus the composed full name."""
	values = {field: record[field] for field in MEMBER_FIELDS if field in record}
	values["full_name"] = compose_full_name(*(values.get(part) for part in NAME_FIELDS))
	return values
