"""Bulk runs judged by their own operation type's thresholds (verenigingen.core.performance.judge_runs)."""

from datetime import datetime, timedelta

from verenigingen.core.performance import (
	ACCOUNT_CREATION,
	MANDATE_CREATION,
	RATE_LOW,
	SUCCESS_RATE_LOW,
	RunFigures,
	Thresholds,
	judge_runs,
)

NOW = datetime(2026, 12, 3, 9, 0)
BY_TYPE = {
	ACCOUNT_CREATION: Thresholds(95, 6, 15),
	MANDATE_CREATION: Thresholds(95, 6, 300),
}
FALLBACK = Thresholds(95, 6, None)


def run(operation_type: str, processed: int, minutes: float, failed: int = 0, name: str = "T") -> RunFigures:
	"""A finished run of ``processed`` members in ``minutes``."""
	started = NOW - timedelta(minutes=minutes)
	return RunFigures(name, "Completed", processed, processed, processed - failed, failed, started, NOW,
		operation_type)


def alert_types(runs) -> list[tuple[str, str]]:
	return [(f.key, f.alert_type) for f in judge_runs(runs, BY_TYPE, FALLBACK, NOW)]


def test_the_same_pace_is_fine_for_accounts_and_slow_for_mandates():
	"""100 per minute: well above 15 accounts/min, below 300 mandates/min."""
	runs = [run(ACCOUNT_CREATION, 1000, 10, name="A"), run(MANDATE_CREATION, 1000, 10, name="M")]
	assert alert_types(runs) == [("M", RATE_LOW)]


def test_a_fast_mandate_run_passes_where_a_slow_account_run_does_not():
	runs = [run(ACCOUNT_CREATION, 100, 10, name="A"), run(MANDATE_CREATION, 4000, 10, name="M")]
	assert alert_types(runs) == [("A", RATE_LOW)]


def test_findings_name_the_operation_type_and_its_limit():
	(finding,) = judge_runs([run(MANDATE_CREATION, 1000, 10)], BY_TYPE, FALLBACK, NOW)
	assert finding.figures == {"rate": 100.0, "limit": 300, "operation_type": MANDATE_CREATION}


def test_an_unknown_type_is_not_judged_by_another_types_rate():
	"""A type without thresholds of its own: success rate and duration only."""
	slow = run("Something Else", 100, 60, name="X")
	assert alert_types([slow]) == []
	failing = run("Something Else", 100, 60, failed=50, name="Y")
	assert alert_types([failing]) == [("Y", SUCCESS_RATE_LOW)]


def test_success_rate_applies_to_every_type():
	runs = [run(ACCOUNT_CREATION, 100, 1, failed=10, name="A"), run(MANDATE_CREATION, 400, 1, failed=40, name="M")]
	assert alert_types(runs) == [("A", SUCCESS_RATE_LOW), ("M", SUCCESS_RATE_LOW)]
