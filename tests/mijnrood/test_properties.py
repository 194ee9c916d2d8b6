"""Property-based tests: messy input never crashes, normalised output is stable, round trips hold."""

import unicodedata
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verenigingen.core.mijnrood import (
	MijnroodFileError,
	is_formula_like,
	make_cell_safe,
	parse_export,
	write_error_report,
)
from verenigingen.core.mijnrood.contact import (
	normalise_country,
	normalise_email,
	normalise_iban,
	normalise_phone,
	normalise_postcode,
)
from verenigingen.core.mijnrood.errors import InvalidValue
from verenigingen.core.mijnrood.values import (
	normalise_amount,
	normalise_date,
	normalise_flag,
	normalise_member_id,
	normalise_mollie_id,
	normalise_period,
)
from verenigingen.core.names import clean_name_part, compose_full_name

from .builders import ADMIN_HEADER, admin_csv, admin_row, admin_xlsx

CELLS = st.one_of(
	st.text(),
	st.integers(),
	st.floats(),
	st.none(),
	st.booleans(),
	st.dates(),
	st.datetimes(),
	st.decimals(),
)
NORMALISERS = (
	normalise_email,
	normalise_phone,
	normalise_country,
	normalise_postcode,
	lambda value: normalise_postcode(value, "BE"),
	normalise_iban,
	normalise_member_id,
	normalise_date,
	normalise_amount,
	lambda value: normalise_amount(value, in_cents=True),
	normalise_period,
	normalise_flag,
	lambda value: normalise_mollie_id(value, "cst"),
)
NAME_TEXT = st.text(
	alphabet=st.characters(categories=("Lu", "Ll", "Lt", "Lo", "Zs"), include_characters="'-."),
	min_size=1,
	max_size=40,
).filter(lambda text: text.strip() and not is_formula_like(text.strip()))
PLAIN_TEXT = st.text(
	alphabet=st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn", "Cf"), include_characters='\n";,\t'),
	max_size=60,
).filter(lambda text: not is_formula_like(text) and not text.startswith("\t"))


def with_check_digits(country: str, bban: str) -> str:
	"""Build an IBAN by computing its ISO 13616 mod-97 check digits."""
	digits = "".join(str(int(char, 36)) for char in bban + country + "00")
	return f"{country}{98 - int(digits) % 97:02d}{bban}"


@given(st.sampled_from(NORMALISERS), CELLS)
def test_normalisers_never_crash(normalise, value):
	"""Any cell either normalises or raises InvalidValue with a message."""
	try:
		normalise(value)
	except InvalidValue as exc:
		assert str(exc.message)


@given(st.text(), st.sampled_from(["NL", "BE"]))
def test_postcode_normalisation_is_idempotent(text, country):
	"""Normalising a normalised postcode changes nothing."""
	try:
		once = normalise_postcode(text, country)
	except InvalidValue:
		return
	assert normalise_postcode(once, country) == once


@given(st.from_regex(r"[1-9][0-9]{3} ?[A-Za-z]{2}", fullmatch=True))
def test_dutch_postcodes_get_one_format(text):
	"""Every well-formed Dutch postcode comes out as ``1234 AB`` (SA, SD, SS do not exist)."""
	if text[-2:].upper() in ("SA", "SD", "SS"):
		return
	assert normalise_postcode(text) == f"{text[:4]} {text[-2:].upper()}"


@given(st.sampled_from(["email", "phone"]), st.text(max_size=40))
def test_email_and_phone_are_idempotent(kind, text):
	"""A normalised email or phone number normalises to itself."""
	normalise = normalise_email if kind == "email" else normalise_phone
	try:
		once = normalise(text)
	except InvalidValue:
		return
	assert normalise(once) == once


@given(
	st.one_of(
		st.tuples(st.just("NL"), st.from_regex(r"[A-Z]{4}[0-9]{10}", fullmatch=True)),
		st.tuples(st.just("DE"), st.from_regex(r"[0-9]{18}", fullmatch=True)),
		st.tuples(st.just("GB"), st.from_regex(r"[A-Z]{4}[0-9]{14}", fullmatch=True)),
	),
	st.booleans(),
)
def test_generated_valid_ibans_are_accepted_and_compact(parts, messy):
	"""An IBAN with correct check digits is accepted, however it was typed, and stored compact."""
	iban = with_check_digits(*parts)
	typed = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)).lower() if messy else iban
	assert normalise_iban(typed) == iban


@given(st.text())
def test_formula_escaping_never_yields_a_formula(text):
	"""Escaped text is never formula-like, and harmless text is left alone."""
	assert not is_formula_like(make_cell_safe(text))
	if not is_formula_like(text):
		assert make_cell_safe(text) == text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NAME_TEXT, NAME_TEXT, st.sampled_from(["csv", "xlsx"]))
def test_names_round_trip(first, last, fmt):
	"""A name written into an export comes back trimmed and otherwise unchanged."""
	row = admin_row(voornaam=first, achternaam=last, tussenvoegsel="van der")
	data = admin_csv(row) if fmt == "csv" else admin_xlsx(row)
	member = parse_export(data, f"leden.{fmt}").rows[0].member
	expected = [clean_name_part(unicodedata.normalize("NFC", part)) for part in (first, last)]
	assert [member["first_name"], member["last_name"]] == expected
	assert compose_full_name(member["first_name"], member["tussenvoegsel"], member["last_name"]) == (
		f"{expected[0]} van der {expected[1]}"
	)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
	st.lists(st.tuples(PLAIN_TEXT, PLAIN_TEXT), min_size=1, max_size=4),
	st.sampled_from([(",", "utf-8"), (";", "cp1252"), (",", "utf-8-sig"), (";", "utf-16"), ("\t", "utf-8")]),
	st.sampled_from(["\r\n", "\n"]),
)
def test_csv_report_write_then_parse_round_trips(cells, dialect, terminator):
	"""Writing the rows back in the upload's dialect and reading them again gives the same cells."""
	delimiter, encoding = dialect
	if encoding == "cp1252":
		cells = [tuple(c.encode("cp1252", "replace").decode("cp1252") for c in pair) for pair in cells]
	header = ADMIN_HEADER + ["Opmerking"]
	rows = [admin_row(1000 + i, adres=address) + [note] for i, (address, note) in enumerate(cells)]
	data = admin_csv(*rows, header=header, delimiter=delimiter, encoding=encoding, terminator=terminator)
	parsed = parse_export(data, "leden.csv")
	again = parse_export(write_error_report(parsed, parsed.rows), "leden.csv")
	assert again.dialect == parsed.dialect
	assert [{k: v for k, v in row.raw.items() if k != "Reden"} for row in again.rows] == [
		row.raw for row in parsed.rows
	]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=30), min_size=len(ADMIN_HEADER), max_size=len(ADMIN_HEADER)))
def test_arbitrary_rows_never_crash_the_parser(cells):
	"""Whatever the cells hold, the result is a verdict or a MijnroodFileError, never a crash."""
	try:
		parsed = parse_export(admin_csv(cells), "leden.csv", today=date(2026, 1, 1))
	except MijnroodFileError as exc:
		assert exc.message
		return
	for row in parsed.rows:
		assert all(isinstance(message, str) and message for message in row.errors + row.warnings)
