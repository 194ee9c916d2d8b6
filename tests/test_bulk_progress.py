"""verenigingen.core.bulk_progress"""

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verenigingen.core.bulk_progress import (
	CANCELLED,
	COMPLETED,
	COMPLETED_WITH_ERRORS,
	FAILED,
	PAUSED,
	PROCESSING,
	QUEUED,
	RequestCounts,
	active_seconds,
	derive_status,
	estimate_finish,
	live_recount_interval,
	rate_per_minute,
	recount_due,
	sort_error_counts,
)

NOW = datetime(2026, 11, 23, 12, 0)


@pytest.mark.parametrize(
	"counts, cancel, status",
	[
		(RequestCounts(total=10), False, QUEUED),
		(RequestCounts(total=10, successful=3), False, PROCESSING),
		(RequestCounts(total=10, waiting_for_retry=2), False, PROCESSING),
		(RequestCounts(total=10, successful=10), False, COMPLETED),
		(RequestCounts(total=10, successful=8, failed=2), False, COMPLETED_WITH_ERRORS),
		(RequestCounts(total=10, failed=10), False, FAILED),
		(RequestCounts(total=10, successful=7, waiting_for_retry=3), False, PROCESSING),
		(RequestCounts(total=10, successful=3, cancelled=7), True, CANCELLED),
		(RequestCounts(total=10, successful=3, cancelled=6), True, PROCESSING),
		(RequestCounts(total=0), False, COMPLETED),
	],
)
def test_derive_status(counts, cancel, status):
	"""A tracker completes only when nothing is left to process or retry."""
	assert derive_status(counts, cancel) == status


@pytest.mark.parametrize(
	"counts, cancel, status",
	[
		(RequestCounts(total=10), False, PAUSED),
		(RequestCounts(total=10, successful=4), False, PAUSED),
		(RequestCounts(total=10, successful=7, waiting_for_retry=3), False, PAUSED),
		(RequestCounts(total=10, successful=10), False, COMPLETED),
		(RequestCounts(total=10, successful=9, failed=1), False, COMPLETED_WITH_ERRORS),
		(RequestCounts(total=10, successful=3, cancelled=7), True, CANCELLED),
		(RequestCounts(total=10, successful=3, cancelled=6), True, PROCESSING),
	],
)
def test_derive_status_of_a_paused_run(counts, cancel, status):
	"""A paused run with work left says Paused; a finished one is finished; a cancel outranks a pause."""
	assert derive_status(counts, cancel, paused=True) == status


def test_processed_and_open():
	"""Waiting-for-retry requests are open, not processed."""
	counts = RequestCounts(total=10, successful=5, failed=1, waiting_for_retry=2, cancelled=1)
	assert (counts.processed, counts.open) == (7, 3)


def test_rate_per_minute():
	"""Rate is finished requests per minute since the start, unknown before any."""
	assert rate_per_minute(120, NOW - timedelta(minutes=2), NOW) == 60.0
	assert rate_per_minute(0, NOW - timedelta(minutes=2), NOW) is None
	assert rate_per_minute(5, None, NOW) is None
	assert rate_per_minute(5, NOW, NOW) is None


def test_rate_leaves_out_time_spent_paused():
	"""Ten minutes of a twelve-minute run were a pause: the rate counts the two minutes worked."""
	assert rate_per_minute(120, NOW - timedelta(minutes=12), NOW, paused_seconds=600) == 60.0
	assert rate_per_minute(120, NOW - timedelta(minutes=2), NOW, paused_seconds=120) is None


def test_active_seconds_stop_at_a_pause_still_on():
	"""A run paused a minute after its start has worked a minute, however long the pause lasts."""
	start = NOW - timedelta(hours=1)
	assert active_seconds(start, NOW, 0, paused_at=start + timedelta(minutes=1)) == 60
	assert active_seconds(start, NOW, 600) == 3000
	assert active_seconds(start, NOW, 600, paused_at=NOW + timedelta(minutes=5)) == 3000


def test_estimate_finish():
	"""ETA is remaining / rate from now; unknown without a rate."""
	assert estimate_finish(60, 30.0, NOW) == NOW + timedelta(minutes=2)
	assert estimate_finish(0, None, NOW) == NOW
	assert estimate_finish(5, None, NOW) is None


def test_sort_error_counts():
	"""Most frequent reason first, ties alphabetical."""
	assert list(sort_error_counts({"b": 1, "a": 1, "c": 5})) == ["c", "a", "b"]


@given(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50), st.integers(0, 50), st.integers(0, 50))
def test_counts_add_up(successful, failed, waiting, cancelled, queued):
	"""processed + open always equals total."""
	counts = RequestCounts(successful + failed + waiting + cancelled + queued, successful, failed, waiting, cancelled)
	assert counts.processed + counts.open == counts.total


@pytest.mark.parametrize("rows, seconds", [(0, 1.0), (None, 1.0), (5_000, 1.0), (10_000, 1.0), (40_000, 4.0),
	(500_000, 50.0)])
def test_a_large_run_is_recounted_less_often(rows, seconds):
	"""Each recount reads the run's rows: spaced in proportion, their share of the database stays flat."""
	assert live_recount_interval(rows) == seconds


@pytest.mark.parametrize("since, within, rows, due", [(0.0, None, 50_000, True), (0.0, 0, 50_000, True),
	(0.5, 1.0, 100, False), (1.0, 1.0, 100, True), (3.0, 1.0, 50_000, False), (5.0, 1.0, 50_000, True)])
def test_a_live_recount_is_due_after_the_larger_of_the_two_intervals(since, within, rows, due):
	"""A final refresh (no interval) always recounts; a live one waits for the run's interval too."""
	assert recount_due(since, within, rows) is due
