"""TARGET2 closing days (Easter computed here) and the CORE lead time of one business day."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verenigingen.core.sepa import target2

# Easter Sundays as published (Gregorian), over the edges of the possible range (22 March - 25 April)
EASTERS = {
	1818: date(1818, 3, 22),
	1943: date(1943, 4, 25),
	2000: date(2000, 4, 23),
	2008: date(2008, 3, 23),
	2011: date(2011, 4, 24),
	2019: date(2019, 4, 21),
	2024: date(2024, 3, 31),
	2025: date(2025, 4, 20),
	2026: date(2026, 4, 5),
	2027: date(2027, 3, 28),
	2028: date(2028, 4, 16),
	2038: date(2038, 4, 25),
	2285: date(2285, 3, 22),
}


@pytest.mark.parametrize("year, easter", sorted(EASTERS.items()))
def test_easter_sunday_matches_the_published_dates(year, easter):
	assert target2.easter_sunday(year) == easter


@given(st.integers(min_value=1583, max_value=4099))
def test_easter_is_a_sunday_between_22_march_and_25_april(year):
	easter = target2.easter_sunday(year)
	assert easter.weekday() == 6
	assert date(year, 3, 22) <= easter <= date(year, 4, 25)


def test_closing_days_of_2027():
	assert sorted(target2.closing_days(2027)) == [
		date(2027, 1, 1),
		date(2027, 3, 26),  # Good Friday
		date(2027, 3, 29),  # Easter Monday
		date(2027, 5, 1),
		date(2027, 12, 25),
		date(2027, 12, 26),
	]


@pytest.mark.parametrize(
	"day, open_",
	[
		(date(2026, 12, 24), True),  # Christmas Eve is a TARGET2 business day
		(date(2026, 12, 25), False),
		(date(2026, 12, 26), False),
		(date(2026, 12, 31), True),
		(date(2027, 1, 1), False),
		(date(2027, 1, 2), False),  # Saturday
		(date(2027, 1, 4), True),
		(date(2026, 4, 3), False),  # Good Friday 2026
		(date(2026, 4, 6), False),  # Easter Monday 2026
		(date(2026, 5, 1), False),
		(date(2026, 5, 14), True),  # Ascension Day: Dutch holiday, TARGET2 open
		(date(2026, 4, 27), True),  # King's Day: Dutch holiday, TARGET2 open
	],
)
def test_is_business_day(day, open_):
	assert target2.is_business_day(day) is open_


@pytest.mark.parametrize(
	"submitted, earliest",
	[
		(date(2026, 12, 3), date(2026, 12, 4)),  # Thursday -> Friday
		(date(2026, 12, 4), date(2026, 12, 7)),  # Friday -> Monday
		(date(2026, 12, 5), date(2026, 12, 7)),  # Saturday -> Monday
		(date(2026, 12, 24), date(2026, 12, 28)),  # over Christmas and the weekend
		(date(2026, 12, 31), date(2027, 1, 4)),  # over New Year's Day and the weekend
		(date(2027, 3, 25), date(2027, 3, 30)),  # Maundy Thursday -> Tuesday after Easter
		(date(2027, 4, 30), date(2027, 5, 3)),  # Friday before 1 May (a Saturday in 2027)
		(date(2026, 4, 30), date(2026, 5, 4)),  # 1 May 2026 is a Friday
	],
)
def test_earliest_collection_date_is_the_next_business_day(submitted, earliest):
	assert target2.earliest_collection_date(submitted) == earliest
	assert target2.meets_lead_time(earliest, submitted)
	assert not target2.meets_lead_time(earliest - timedelta(days=1), submitted)


def test_a_longer_lead_time_counts_business_days_only():
	assert target2.earliest_collection_date(date(2026, 12, 23), 2) == date(2026, 12, 28)
	assert target2.earliest_collection_date(date(2026, 12, 3), 0) == date(2026, 12, 4)  # never less than 1


def test_a_collection_date_after_the_earliest_may_fall_on_a_closing_day():
	"""The bank settles it on the next business day; only the lead time is checked."""
	assert target2.meets_lead_time(date(2027, 1, 1), date(2026, 12, 28))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_the_earliest_date_is_the_first_business_day_after_submission(day):
	earliest = target2.earliest_collection_date(day)
	assert earliest > day and target2.is_business_day(earliest)
	assert not any(target2.is_business_day(day + timedelta(days=n)) for n in range(1, (earliest - day).days))
