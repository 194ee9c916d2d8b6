"""TARGET2 business days and the CORE scheme's lead time, from plain dates.

TARGET2 is closed on weekends, New Year's Day, Good Friday, Easter Monday, 1 May (Labour Day),
25 December and 26 December. A CORE direct debit (FRST and RCUR alike, since November 2016) must
reach the bank at least one TARGET2 business day before its collection date.
"""

from datetime import date, timedelta

DEFAULT_LEAD_DAYS = 1


def easter_sunday(year: int) -> date:
	"""Easter Sunday of the Gregorian calendar (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
	a, b, c = year % 19, year // 100, year % 100
	d, e = divmod(b, 4)
	g = (8 * b + 13) // 25
	h = (19 * a + b - d - g + 15) % 30
	i, k = divmod(c, 4)
	weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
	m = (a + 11 * h + 19 * weekday_shift) // 433
	month = (h + weekday_shift - 7 * m + 90) // 25
	day = (h + weekday_shift - 7 * m + 33 * month + 19) % 32
	return date(year, month, day)


def closing_days(year: int) -> frozenset[date]:
	"""The weekday holidays on which TARGET2 is closed in ``year`` (weekends come on top)."""
	easter = easter_sunday(year)
	return frozenset(
		{
			date(year, 1, 1),
			easter - timedelta(days=2),  # Good Friday
			easter + timedelta(days=1),  # Easter Monday
			date(year, 5, 1),
			date(year, 12, 25),
			date(year, 12, 26),
		}
	)


def is_business_day(day: date) -> bool:
	"""True when TARGET2 settles on ``day``."""
	return day.weekday() < 5 and day not in closing_days(day.year)


def add_business_days(day: date, count: int) -> date:
	"""The ``count``-th TARGET2 business day after ``day`` (``day`` itself never counts)."""
	current = day
	for _ in range(max(int(count), 0)):
		current += timedelta(days=1)
		while not is_business_day(current):
			current += timedelta(days=1)
	return current


def earliest_collection_date(submitted_on: date, lead_days: int = DEFAULT_LEAD_DAYS) -> date:
	"""The first collection date a file handed to the bank on ``submitted_on`` may ask for."""
	return add_business_days(submitted_on, max(int(lead_days or DEFAULT_LEAD_DAYS), 1))


def meets_lead_time(collection_date: date, submitted_on: date, lead_days: int = DEFAULT_LEAD_DAYS) -> bool:
	"""True when the collection date lies at least ``lead_days`` TARGET2 business days after submission."""
	return collection_date >= earliest_collection_date(submitted_on, lead_days)
