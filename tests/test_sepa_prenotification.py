"""Pre-notification rules: days of notice, whether a batch's notices suffice, language, texts."""

import re
from datetime import date

import pytest

from verenigingen.core.sepa import prenotification as notice

COLLECTION = date(2027, 1, 15)


@pytest.mark.parametrize(
	"configured, agreed, days",
	[(14, None, 14), (None, None, 14), (10, None, 10), (14, 5, 5), (14, 0, 0), (14, 20, 14), (14, -1, 14)],
)
def test_required_notice_days(configured, agreed, days):
	"""An agreed period counts only when it is shorter than the configured one."""
	assert notice.required_notice_days(configured, agreed) == days


def test_notices_fourteen_days_ahead_suffice():
	check = notice.check_notice(COLLECTION, {"a": date(2027, 1, 1), "b": date(2026, 12, 20)}, 14)
	assert check.ok and check.earliest_collection_date == date(2027, 1, 15)


def test_a_late_or_missing_notice_fails_and_names_the_entries():
	check = notice.check_notice(COLLECTION, {"a": date(2027, 1, 2), "b": None, "c": date(2027, 1, 1)}, 14)
	assert not check.ok
	assert (check.missing, check.late, check.earliest_collection_date) == (["b"], ["a"], None)
	late = notice.check_notice(COLLECTION, {"a": date(2027, 1, 2)}, 14)
	assert late.earliest_collection_date == date(2027, 1, 16)


def test_a_shorter_agreed_period_moves_the_deadline():
	assert notice.check_notice(COLLECTION, {"a": date(2027, 1, 10)}, 5).ok
	assert not notice.check_notice(COLLECTION, {"a": date(2027, 1, 11)}, 5).ok


@pytest.mark.parametrize(
	"language, chosen", [("nl", "nl"), ("nl-NL", "nl"), ("nl_BE", "nl"), ("NL", "nl"), ("en", "en"),
		("de", "en"), ("", "en"), (None, "en")],
)
def test_template_language(language, chosen):
	assert notice.template_language(language) == chosen


def test_amounts_and_dates_in_each_language():
	assert notice.format_amount(750, "nl") == "€ 7,50"
	assert notice.format_amount(123456, "nl") == "€ 1.234,56"
	assert notice.format_amount(123456, "en") == "€1,234.56"
	assert notice.format_date(COLLECTION, "nl") == "15 januari 2027"
	assert notice.format_date(date(2027, 3, 1), "en") == "1 March 2027"


@pytest.mark.parametrize("language", notice.LANGUAGES)
def test_default_templates_name_what_the_rulebook_asks_for(language):
	"""Amount, date, mandate reference and creditor id appear in every default text."""
	used = set(re.findall(r"{{\s*(\w+)\s*}}", notice.DEFAULT_BODIES[language]))
	assert {"member_name", "amount", "collection_date", "mandate_reference", "creditor_id"} <= used
	assert "collection_date" in notice.DEFAULT_SUBJECTS[language]
