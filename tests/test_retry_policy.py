"""verenigingen.core.retry_policy"""

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verenigingen.core.retry_policy import DEFAULT_SCHEDULE_MINUTES, next_retry_at, parse_retry_schedule, retry_delay

NOW = datetime(2026, 11, 23, 12, 0, 0)


def test_parse_default_schedule():
	"""The documented default parses."""
	assert parse_retry_schedule("5, 15, 60, 240, 720, 1440") == DEFAULT_SCHEDULE_MINUTES
	assert parse_retry_schedule("5;15") == (5, 15)


@pytest.mark.parametrize("text", ["", None, "5, x", "0", "-5", "15, 5", "5,,15"])
def test_parse_rejects_bad_schedules(text):
	"""Garbage, zero, negative and decreasing schedules are refused."""
	with pytest.raises(ValueError):
		parse_retry_schedule(text)


def test_delay_without_jitter_follows_schedule():
	"""Attempt n waits schedule[n-1] minutes."""
	assert retry_delay(1, (5, 15), 0, 0.7) == timedelta(minutes=5)
	assert retry_delay(2, (5, 15), 0, 0.1) == timedelta(minutes=15)


def test_attempts_beyond_schedule_wait_for_a_human():
	"""After the last attempt there is no next retry."""
	assert retry_delay(3, (5, 15), 10, 0.5) is None
	assert retry_delay(0, (5, 15), 10, 0.5) is None
	assert next_retry_at(NOW, 7, DEFAULT_SCHEDULE_MINUTES, 10, 0.5) is None


def test_next_retry_at_adds_delay():
	"""The first retry is five minutes out."""
	assert next_retry_at(NOW, 1, DEFAULT_SCHEDULE_MINUTES, 0, 0.0) == NOW + timedelta(minutes=5)


@given(st.integers(1, 6), st.integers(0, 50), st.floats(0, 0.999999))
def test_jitter_stays_within_bounds(attempt, jitter, fraction):
	"""Jitter never moves a retry more than jitter% from the schedule."""
	base = DEFAULT_SCHEDULE_MINUTES[attempt - 1] * 60
	delay = retry_delay(attempt, DEFAULT_SCHEDULE_MINUTES, jitter, fraction).total_seconds()
	assert base * (1 - jitter / 100) - 1 <= delay <= base * (1 + jitter / 100) + 1
