"""Every user-facing string of the app has a Dutch entry in verenigingen/translations/nl.csv."""

import pytest

from tests import translation_strings as strings


def test_extractor_reads_literals_both_quotes_and_escapes():
	text = """_("Run {0} done", x) + __('Can\\'t') + frappe._("Say \\"hi\\"") + my_("no") + _(variable)"""
	found = [strings.unescape(m.group("text")) for m in strings.CALL.finditer(text)]
	assert found == ["Run {0} done", "Can't", 'Say "hi"']


def test_extractor_finds_code_and_labels():
	found = strings.all_strings()
	assert "Bulk Operations Monitor" in found  # page title and __() in its script
	assert "Bulk Operation Tracker" in found  # a DocType name
	assert len(found) > 100


def test_every_string_has_a_dutch_entry():
	missing = strings.missing()
	assert not missing, "no Dutch entry in verenigingen/translations/nl.csv for:\n" + "\n".join(
		f"{where}: {text!r}" for text, where in sorted(missing.items(), key=lambda item: item[1])
	)


@pytest.mark.parametrize("source,translation", sorted(strings.read_translations().items()))
def test_translation_keeps_the_placeholders(source, translation):
	assert strings.placeholders(source) == strings.placeholders(translation)
