"""Email, phone, country, postcode and IBAN normalisation."""

import pytest

from verenigingen.core.mijnrood.contact import (
	normalise_country,
	normalise_email,
	normalise_iban,
	normalise_phone,
	normalise_postcode,
)
from verenigingen.core.mijnrood.errors import InvalidValue


@pytest.mark.parametrize(
	("value", "email"),
	[
		(" Anna.Haan@Example.NL ", "anna.haan@example.nl"),
		("a+tag@sub.example.nl", "a+tag@sub.example.nl"),
		("", ""),
	],
)
def test_email_is_lowercased(value, email):
	"""Valid addresses are trimmed and lowercased; empty stays empty."""
	assert normalise_email(value) == email


@pytest.mark.parametrize(
	"value",
	[
		"hanspeter.15example.nl",
		"a@b@example.nl",
		"a b@example.nl",
		"a@localhost",
		"a@.example.nl",
		"a@example.",
		"@x.nl",
		"a@x..nl",
		"<a@x.nl>",
		"evil\u202e@x.nl",
		"a@x\u200b.nl",
		"a" * 250 + "@x.nl",
	],
)
def test_bad_email_is_refused(value):
	"""Missing @, two @, spaces, no dot in the domain and similar are refused."""
	with pytest.raises(InvalidValue):
		normalise_email(value)


@pytest.mark.parametrize(
	("value", "phone"),
	[
		("0612345678", "+31612345678"),
		("06-12345678", "+31612345678"),
		("+31 6 1234 5678", "+31612345678"),
		("0031612345678", "+31612345678"),
		("020-1234567", "+31201234567"),
		(612345678, "+31612345678"),
		("+32 470 12 34 56", "+32470123456"),
		("", ""),
	],
)
def test_phone_becomes_e164(value, phone):
	"""Phone numbers as members type them become E.164, read as Dutch when national."""
	assert normalise_phone(value) == phone


@pytest.mark.parametrize(
	"value",
	["bel me", "12", "06-123", "112", "020-123", "+31 20 123 45678", "+31 6 1234 5678 9999 9999", "9" * 50],
)
def test_bad_phone_is_refused(value):
	"""Text and numbers of impossible length are refused."""
	with pytest.raises(InvalidValue):
		normalise_phone(value)


@pytest.mark.parametrize(
	("value", "country"),
	[("", "NL"), (None, "NL"), ("nl", "NL"), (" be ", "BE"), ("Nederland", "NL"), ("DEU", "DE")],
)
def test_country_code(value, country):
	"""Empty means NL; codes are uppercased; a few common names are understood."""
	assert normalise_country(value) == country


@pytest.mark.parametrize("value", ["Frankrijk", "N1", "ÄÖ"])
def test_bad_country_is_refused(value):
	"""Anything that is not a two-letter code is refused."""
	with pytest.raises(InvalidValue):
		normalise_country(value)


@pytest.mark.parametrize(
	("value", "country", "postcode"),
	[
		("1234ab", "NL", "1234 AB"),
		("1234 AB", "NL", "1234 AB"),
		(" 6573  zg", "NL", "6573 ZG"),
		("B-1000", "BE", "B-1000"),
		("SW1A  1AA", "GB", "SW1A 1AA"),
		("", "NL", ""),
	],
)
def test_postcode(value, country, postcode):
	"""Dutch postcodes become ``1234 AB``; foreign ones are only trimmed."""
	assert normalise_postcode(value, country) == postcode


@pytest.mark.parametrize("value", ["12345", "0123 AB", "1234 SS", "ABCD 12"])
def test_bad_dutch_postcode_is_refused(value):
	"""Five digits, a leading zero, forbidden letter pairs are not Dutch postcodes."""
	with pytest.raises(InvalidValue):
		normalise_postcode(value, "NL")


@pytest.mark.parametrize(
	("value", "iban"),
	[
		("NL39ASNB7975432319", "NL39ASNB7975432319"),
		("nl39 asnb 7975 4323 19", "NL39ASNB7975432319"),
		("", ""),
	],
)
def test_iban_is_compact_uppercase(value, iban):
	"""Valid IBANs are stored compact and uppercase."""
	assert normalise_iban(value) == iban


@pytest.mark.parametrize(
	("value", "reason"),
	[
		("NL10RABO1974232939", "check digits"),
		("NL39ASNB797543231", "check digits"),
		("XX", "IBAN"),
		("NL39 ASNB", ""),
	],
)
def test_bad_iban_is_refused_with_reason(value, reason):
	"""A failed mod-97 or a wrong length is refused with the reason."""
	with pytest.raises(InvalidValue) as caught:
		normalise_iban(value)
	assert reason in caught.value.message
