"""The verdict on one row: normalise every carried field, then decide error (skip) or warning (drop)."""

from collections.abc import Callable
from datetime import date
from functools import partial

from verenigingen.core.mijnrood.contact import (
	DEFAULT_COUNTRY,
	normalise_country,
	normalise_email,
	normalise_iban,
	normalise_phone,
	normalise_postcode,
)
from verenigingen.core.mijnrood.errors import InvalidValue, Message
from verenigingen.core.mijnrood.formula import is_formula_like
from verenigingen.core.mijnrood.limits import EARLIEST_BIRTH_DATE, MAX_CELL_CHARS
from verenigingen.core.mijnrood.model import MEMBER_FIELDS, RowResult
from verenigingen.core.mijnrood.table import SourceRow
from verenigingen.core.mijnrood.text import cell_text, clean_text, has_markup
from verenigingen.core.mijnrood.values import (
	normalise_amount,
	normalise_date,
	normalise_flag,
	normalise_member_id,
	normalise_mollie_id,
	normalise_period,
)

NAME_FIELDS = ("first_name", "tussenvoegsel", "last_name")
REQUIRED_NAME_FIELDS = ("first_name", "last_name")
FREE_TEXT_FIELDS = ("address_line", "city", "chapter", "membership_status")
DATE_FIELDS = ("birth_date", "member_since")
# a bad value in these is dropped with a warning; the member is still worth importing
DROPPABLE: dict[str, Callable] = {
	"phone": normalise_phone,
	"iban": normalise_iban,
	"contribution_period": normalise_period,
	"contribution_paid": normalise_flag,
	"privacy_accepted": normalise_flag,
	"mollie_customer_id": partial(normalise_mollie_id, prefix="cst"),
	"mollie_subscription_id": partial(normalise_mollie_id, prefix="sub"),
}


def validate_row(
	row: SourceRow,
	values: dict,
	labels: dict,
	*,
	today: date | None = None,
	amount_in_cents: bool = False,
	allows_access: bool | None = None,
) -> RowResult:
	"""Build the canonical member of one row; ``values`` holds only the fields the file carries."""
	result = RowResult(row_number=row.row_number, member={}, errors=list(row.problems), raw=row.raw)
	values = _drop_oversized_cells(row, values, labels, result)
	_apply_identity(values, labels, result)
	_apply_names(values, labels, result)
	_apply_free_text(values, labels, result)
	_apply_address(values, labels, result)
	_apply_dates(values, labels, result, today)
	_apply_droppable(values, labels, result, amount_in_cents)
	# field order as in the DocType, so records read well in logs and tests
	result.member = {key: result.member[key] for key in MEMBER_FIELDS if key in result.member}
	result.member["allows_access"] = allows_access
	return result


def _drop_oversized_cells(row: SourceRow, values: dict, labels: dict, result: RowResult) -> dict:
	"""Reject a row with an absurdly long cell, and do not spend effort normalising that cell."""
	too_long = {header for header, cell in row.raw.items() if len(cell_text(cell)) > MAX_CELL_CHARS}
	for header in too_long:
		result.errors.append(Message("{0} is longer than {1} characters", header, MAX_CELL_CHARS))
	return {field: value for field, value in values.items() if labels.get(field) not in too_long}


def _apply_identity(values: dict, labels: dict, result: RowResult) -> None:
	"""Member number and email identify the member and the future user: without them, no import."""
	for field, normalise in (("member_id", normalise_member_id), ("email", normalise_email)):
		if field not in values:
			continue
		try:
			result.member[field] = normalise(values[field])
		except InvalidValue as exc:
			result.errors.append(Message("{0}: {1}", labels[field], exc.message))
			continue
		if not result.member[field]:
			result.errors.append(Message("{0} is empty", labels[field]))


def _apply_names(values: dict, labels: dict, result: RowResult) -> None:
	"""Names are cleaned of invisible characters; markup or a formula in a name rejects the row."""
	for field in NAME_FIELDS:
		text = _clean_field(values, field, labels, result)
		if text is None:
			continue
		problem = _markup_problem(text)
		if problem:
			result.errors.append(Message("{0}: {1}", labels[field], problem))
			continue
		if not text and field in REQUIRED_NAME_FIELDS:
			result.errors.append(Message("{0} is empty", labels[field]))
		elif "?" in text:
			result.warnings.append(
				Message(
					"{0}: '{1}' contains '?', perhaps a letter lost when saving the file", labels[field], text
				)
			)
		result.member[field] = text


def _apply_free_text(values: dict, labels: dict, result: RowResult) -> None:
	"""Address, city, group and status are kept as text; markup or a formula there is dropped."""
	for field in FREE_TEXT_FIELDS:
		text = _clean_field(values, field, labels, result)
		if text is None:
			continue
		problem = _markup_problem(text)
		if problem:
			result.warnings.append(Message("{0}: {1}; not imported", labels[field], problem))
			continue
		result.member[field] = text


def _clean_field(values: dict, field: str, labels: dict, result: RowResult) -> str | None:
	"""Cleaned text of a carried field (None when not carried), warning when characters were removed."""
	if field not in values:
		return None
	text, removed = clean_text(values[field])
	if removed:
		result.warnings.append(Message("{0}: invisible control characters removed", labels[field]))
	return text


def _markup_problem(text: str) -> Message | None:
	"""Say why text cannot be a name or address: HTML, or something a spreadsheet would execute."""
	if has_markup(text):
		return Message("contains HTML markup")
	if is_formula_like(text):
		return Message("starts like a spreadsheet formula")
	return None


def _apply_address(values: dict, labels: dict, result: RowResult) -> None:
	"""Country first, because it decides whether the postcode must be Dutch."""
	country = DEFAULT_COUNTRY
	if "country" in values:
		try:
			country = result.member["country"] = normalise_country(values["country"])
		except InvalidValue as exc:
			country = ""
			result.warnings.append(Message("{0}: {1}; not imported", labels["country"], exc.message))
	if "postal_code" not in values:
		return
	try:
		result.member["postal_code"] = normalise_postcode(values["postal_code"], country)
	except InvalidValue as exc:
		# a mistyped postcode still helps to find the address; keep it and let someone look
		result.member["postal_code"] = clean_text(values["postal_code"])[0]
		result.warnings.append(Message("{0}: {1}; imported as typed", labels["postal_code"], exc.message))


def _apply_dates(values: dict, labels: dict, result: RowResult, today: date | None) -> None:
	"""Dates must parse and be plausible; a bad date is dropped, the member kept."""
	for field in DATE_FIELDS:
		if field not in values:
			continue
		try:
			result.member[field] = _plausible_date(values[field], field, today)
		except InvalidValue as exc:
			result.warnings.append(Message("{0}: {1}; not imported", labels[field], exc.message))


def _plausible_date(value: object, field: str, today: date | None) -> str | None:
	"""Normalise a date and refuse ones before 1900 or after today (when today is known)."""
	iso = normalise_date(value)
	if iso is None:
		return None
	if iso < EARLIEST_BIRTH_DATE:
		raise InvalidValue("{0} is before {1}", iso, EARLIEST_BIRTH_DATE)
	if today is not None and iso > today.isoformat():
		raise InvalidValue("{0} lies in the future", iso)
	return iso


def _apply_droppable(values: dict, labels: dict, result: RowResult, amount_in_cents: bool) -> None:
	"""Contact and payment details: a bad value is left out with a warning, never stored wrong."""
	converters = dict(DROPPABLE, contribution_amount=partial(normalise_amount, in_cents=amount_in_cents))
	for field, normalise in converters.items():
		if field not in values:
			continue
		try:
			result.member[field] = normalise(values[field])
		except InvalidValue as exc:
			result.warnings.append(Message("{0}: {1}; not imported", labels[field], exc.message))
