"""Member number, dates, amounts, payment period, yes/no and Mollie id normalisation."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from verenigingen.core.mijnrood.errors import InvalidValue
from verenigingen.core.mijnrood.values import (
	normalise_amount,
	normalise_date,
	normalise_flag,
	normalise_member_id,
	normalise_mollie_id,
	normalise_period,
)


@pytest.mark.parametrize(
	("value", "member_id"), [(1000, "1000"), (1000.0, "1000"), (" 0042 ", "42"), ("", "")]
)
def test_member_id(value, member_id):
	"""Numbers and digit strings become a plain digit string."""
	assert normalise_member_id(value) == member_id


@pytest.mark.parametrize("value", ["abc", "12a", "0", "-5", "1.5", "1" * 19, "١٢"])
def test_bad_member_id_is_refused(value):
	"""Non-digits, zero, negative and absurdly long numbers are refused."""
	with pytest.raises(InvalidValue):
		normalise_member_id(value)


@pytest.mark.parametrize(
	("value", "iso"),
	[
		(datetime(2024, 11, 3), "2024-11-03"),
		(date(2024, 11, 3), "2024-11-03"),
		("3-11-2024", "2024-11-03"),
		("03/11/2024", "2024-11-03"),
		("3.11.2024", "2024-11-03"),
		("2024-11-03", "2024-11-03"),
		("2024-11-03 14:05:00", "2024-11-03"),
		(45599, "2024-11-03"),
		("", None),
		(None, None),
	],
)
def test_date(value, iso):
	"""Excel date cells, serials, Dutch and ISO text all become ``YYYY-MM-DD``."""
	assert normalise_date(value) == iso


@pytest.mark.parametrize("value", ["31-2-2024", "3-11-24", "2024/13/01", "gisteren", 0, 10**9, "11-3"])
def test_bad_date_is_refused(value):
	"""Impossible days, two-digit years and text are refused."""
	with pytest.raises(InvalidValue):
		normalise_date(value)


@pytest.mark.parametrize(
	("value", "amount"),
	[
		(25, Decimal("25.00")),
		(7.5, Decimal("7.50")),
		("7,50", Decimal("7.50")),
		("7.5", Decimal("7.50")),
		("€ 1.234,56", Decimal("1234.56")),
		("1,234.56", Decimal("1234.56")),
		("0,005", Decimal("0.01")),
		("", None),
	],
)
def test_amount_in_euros(value, amount):
	"""Numbers, decimal comma and thousands separators become a Decimal with 2 places."""
	assert normalise_amount(value) == amount
	assert amount is None or normalise_amount(value).as_tuple().exponent == -2


def test_amount_in_cents():
	"""export-everything stores cents."""
	assert normalise_amount("750", in_cents=True) == Decimal("7.50")
	with pytest.raises(InvalidValue):
		normalise_amount("7.5", in_cents=True)


@pytest.mark.parametrize("value", ["-5", "vijf", "1e3", "999999999", True, float("nan")])
def test_bad_amount_is_refused(value):
	"""Negative, textual and implausible amounts are refused."""
	with pytest.raises(InvalidValue):
		normalise_amount(value)


@pytest.mark.parametrize(
	("value", "period"),
	[
		("Maandelijks", "Monthly"),
		("per kwartaal", "Quarterly"),
		("Jaarlijks", "Annually"),
		("0", "Monthly"),
		(1, "Quarterly"),
		("2", "Annually"),
		("", ""),
	],
)
def test_period(value, period):
	"""Dutch words and Mijnrood codes map to the DocType's options."""
	assert normalise_period(value) == period


def test_bad_period_is_refused():
	"""Unknown periods are refused."""
	with pytest.raises(InvalidValue):
		normalise_period("wekelijks")


@pytest.mark.parametrize(
	("value", "flag"), [("Ja", 1), ("nee", 0), ("1", 1), (0, 0), (True, 1), ("WAAR", 1), ("", 0), (None, 0)]
)
def test_flag(value, flag):
	"""Ja/Nee, 1/0, booleans; an empty cell means no."""
	assert normalise_flag(value) == flag


def test_bad_flag_is_refused():
	"""Anything else is refused."""
	with pytest.raises(InvalidValue):
		normalise_flag("misschien")


def test_mollie_id():
	"""Mollie ids keep their prefix; the wrong prefix or characters are refused."""
	assert normalise_mollie_id(" cst_8wmqcHMN4U ", "cst") == "cst_8wmqcHMN4U"
	assert normalise_mollie_id("", "sub") == ""
	for bad in ("sub_123", "cst_", "cst_a b", "8wmqcHMN4U"):
		with pytest.raises(InvalidValue):
			normalise_mollie_id(bad, "cst")
