"""IBANs never appear in full in logs and alerts."""

import pytest

from verenigingen.core.masking import mask_iban, mask_ibans_in_text


def test_mask_iban_keeps_country_check_digits_and_last_four():
	"""NL91ABNA0417164300 -> NL91****4300."""
	assert mask_iban("NL91ABNA0417164300") == "NL91****4300"
	assert mask_iban("NL91 ABNA 0417 1643 00") == "NL91****4300"
	assert mask_iban("nl91abna0417164300") == "NL91****4300"


def test_mask_ibans_in_text():
	"""Every IBAN-like token in a message is masked, the rest stays."""
	text = "IBAN: 'NL91ABNA0417164301' is not a valid IBAN; also nl91 abna 0417 1643 00."
	masked = mask_ibans_in_text(text)
	assert "0417164301" not in masked and "NL91****4301" in masked
	assert "abna 0417" not in masked
	assert masked == "IBAN: 'NL91****4301' is not a valid IBAN; also NL91****4300."


@pytest.mark.parametrize("iban", ["NL91ABNA0417164300", "NL91 ABNA 0417 1643 00", "DE89370400440532013000",
	"BE68 5390 0754 7034"])
def test_the_word_after_an_iban_stays(iban):
	"""A word following the IBAN is kept, not swallowed into the masked part."""
	masked = mask_ibans_in_text(f"Mandate for {iban} failed today")
	assert masked == f"Mandate for {mask_iban(iban)} failed today"


def test_plain_text_is_untouched():
	"""Emails, phone numbers and Mollie ids are not mistaken for IBANs."""
	text = "jan12abcdefghijk@example.nl +31612345678 cst_9593bd04cf 2025-03-17"
	assert mask_ibans_in_text(text) == text
