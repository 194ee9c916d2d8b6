"""IBANs never appear in full in logs and alerts."""

from verenigingen.core.masking import mask_iban, mask_ibans_in_text


def test_mask_iban_keeps_country_and_last_four():
	"""NL91ABNA0417164300 -> NL**...**4300."""
	assert mask_iban("NL91ABNA0417164300") == "NL**...**4300"
	assert mask_iban("NL91 ABNA 0417 1643 00") == "NL**...**4300"


def test_mask_ibans_in_text():
	"""Every IBAN-like token in a message is masked, the rest stays."""
	text = "IBAN: 'NL91ABNA0417164301' is not a valid IBAN; also nl91 abna 0417 1643 00."
	masked = mask_ibans_in_text(text)
	assert "0417164301" not in masked and "NL**...**4301" in masked
	assert "abna 0417" not in masked
	assert masked.startswith("IBAN: 'NL**")


def test_plain_text_is_untouched():
	"""Emails, phone numbers and Mollie ids are not mistaken for IBANs."""
	text = "jan12abcdefghijk@example.nl +31612345678 cst_9593bd04cf 2025-03-17"
	assert mask_ibans_in_text(text) == text
