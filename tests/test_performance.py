"""verenigingen.core.performance"""

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verenigingen.core.performance import (
	COMPLETION_SLOW,
	RATE_LOW,
	SUCCESS_RATE_LOW,
	RunFigures,
	Thresholds,
	judge_run,
	percentile,
	processing_rate,
	success_rate,
	summarise_runs,
)

NOW = datetime(2026, 12, 2, 12, 0)


def run(successful=100, failed=0, minutes=10, finished=True, processed=None, name="T1"):
	started = NOW - timedelta(minutes=minutes)
	return RunFigures(
		name,
		"Completed",
		successful + failed,
		processed if processed is not None else successful + failed,
		successful,
		failed,
		started,
		NOW if finished else None,
	)


def test_success_rate_ignores_cancelled_and_is_unknown_without_attempts():
	assert success_rate(95, 5) == 95.0
	assert success_rate(0, 0) is None
	assert success_rate(1, 2) == 33.3


def test_processing_rate_from_start_to_finish():
	assert processing_rate(run(successful=300, minutes=10), NOW) == 30.0
	assert processing_rate(RunFigures("T", "Queued", 5, 0, 0, 0, None, None), NOW) is None


def test_healthy_run_crosses_nothing():
	assert judge_run(run(successful=600, minutes=10), Thresholds(), NOW) == []


@pytest.mark.parametrize(
	"figures, expected",
	[
		(run(successful=90, failed=10, minutes=1), [SUCCESS_RATE_LOW]),
		(run(successful=9000, minutes=7 * 60), [COMPLETION_SLOW]),
		(run(successful=100, minutes=10), [RATE_LOW]),
		(run(successful=100, minutes=10, finished=False), [RATE_LOW]),
		(run(successful=40, minutes=10), []),  # too few accounts to judge a rate
		(run(successful=5, failed=5, minutes=1, finished=False), []),  # too few attempts while running
		(run(successful=5, failed=5, minutes=1), [SUCCESS_RATE_LOW]),  # a finished run is always judged
	],
)
def test_each_threshold(figures, expected):
	assert [f.alert_type for f in judge_run(figures, Thresholds(), NOW)] == expected


def test_a_paused_run_is_neither_slow_nor_stuck():
	"""Paused for a day with a low rate: only its success rate is judged."""
	paused = RunFigures("T", "Paused", 9000, 200, 100, 100, NOW - timedelta(hours=24), None)
	assert [f.alert_type for f in judge_run(paused, Thresholds(), NOW)] == [SUCCESS_RATE_LOW]
	running = RunFigures("T", "Processing", 9000, 200, 200, 0, NOW - timedelta(hours=24), None)
	assert [f.alert_type for f in judge_run(running, Thresholds(), NOW)] == [COMPLETION_SLOW, RATE_LOW]


def test_thresholds_can_be_switched_off():
	assert judge_run(run(successful=1, failed=99, minutes=600), Thresholds(None, None, None), NOW) == []


def test_findings_are_keyed_by_tracker_and_cite_figures():
	(finding,) = judge_run(run(successful=10, failed=90, minutes=1, name="BULK-9"), Thresholds(), NOW)
	assert (finding.key, finding.severity, finding.figures["success_rate"]) == ("BULK-9", "Critical", 10.0)


def test_summary_over_runs():
	summary = summarise_runs(
		[
			run(successful=100, minutes=10),
			run(successful=45, failed=5, minutes=5),
			run(successful=10, finished=False),
		],
		NOW,
	)
	assert summary["total_operations"] == 3
	assert summary["accounts_created"] == 155
	assert summary["success_rate"] == round(155 * 100 / 160, 1)
	assert summary["average_rate_per_minute"] == 10.0
	assert summary["average_completion_minutes"] == 7.5
	assert summarise_runs([], NOW)["average_rate_per_minute"] is None


def test_percentile_nearest_rank():
	assert percentile([], 0.95) is None
	assert percentile([5], 0.5) == 5
	assert percentile(list(range(1, 101)), 0.95) == 95
	assert percentile(list(range(1, 101)), 0.5) == 50


@given(st.lists(st.floats(0, 1e6), min_size=1), st.floats(0, 1))
def test_percentile_is_one_of_the_values(values, share):
	assert percentile(values, share) in values
