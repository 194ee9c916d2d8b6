"""Figures of a bulk run (success rate, rate, duration) and the thresholds they are judged by.

Pure: the shell reads trackers and settings and passes plain values and the current time.
"""

import math
from dataclasses import dataclass, replace
from datetime import datetime

from verenigingen.core.bulk_progress import PAUSED
from verenigingen.core.queue_health import CRITICAL, WARNING, Finding

# The Bulk Operation Tracker's operation types: each is judged by its own thresholds.
ACCOUNT_CREATION = "Account Creation"
MANDATE_CREATION = "Mandate Creation"

SUCCESS_RATE_LOW = "bulk_success_rate_low"
COMPLETION_SLOW = "bulk_completion_slow"
RATE_LOW = "bulk_rate_low"
PERFORMANCE_ALERT_TYPES = (SUCCESS_RATE_LOW, COMPLETION_SLOW, RATE_LOW)

# A running run is judged on its success rate only after this many finished attempts, and
# on its rate only after this many processed accounts (one default batch): a few accounts
# say nothing yet, and a first account costs more than the others.
MIN_ATTEMPTS_FOR_SUCCESS_RATE = 20
MIN_PROCESSED_FOR_RATE = 50


@dataclass(frozen=True)
class Thresholds:
	success_rate_percent: float | None = 95
	max_completion_hours: float | None = 6
	min_rate_per_minute: float | None = 15


@dataclass(frozen=True)
class RunFigures:
	"""One tracker's stored counts and times."""

	name: str
	status: str
	total: int
	processed: int
	successful: int
	failed: int
	started_at: datetime | None
	finished_at: datetime | None
	operation_type: str = ACCOUNT_CREATION

	@property
	def finished(self) -> bool:
		return self.finished_at is not None


def success_rate(successful: int, failed: int) -> float | None:
	"""Successful share of the attempts that ended (cancelled ones are no attempt); None without any."""
	attempts = successful + failed
	return round(successful * 100 / attempts, 1) if attempts else None


def duration_minutes(run: RunFigures, now: datetime) -> float | None:
	"""Minutes from the first batch's start to the end (or to now while running)."""
	if not run.started_at:
		return None
	end = run.finished_at or now
	return max((end - run.started_at).total_seconds() / 60, 0.0)


def processing_rate(run: RunFigures, now: datetime) -> float | None:
	"""Processed accounts per minute over the run's duration; None when it cannot be known."""
	minutes = duration_minutes(run, now)
	if not minutes or not run.processed:
		return None
	return round(run.processed / minutes, 1)


def judge_run(run: RunFigures, thresholds: Thresholds, now: datetime) -> list[Finding]:
	"""The thresholds this run crosses, each a finding keyed by the tracker."""
	findings = []
	rate_ok = success_rate(run.successful, run.failed)
	enough_attempts = run.finished or run.successful + run.failed >= MIN_ATTEMPTS_FOR_SUCCESS_RATE
	if (
		thresholds.success_rate_percent
		and rate_ok is not None
		and enough_attempts
		and rate_ok < thresholds.success_rate_percent
	):
		findings.append(
			Finding(
				SUCCESS_RATE_LOW,
				CRITICAL if rate_ok < 50 else WARNING,
				run.name,
				{"success_rate": rate_ok, "limit": thresholds.success_rate_percent, "failed": run.failed},
			)
		)
	if run.status == PAUSED:
		return findings  # an operator paused it: its time standing still is neither slow nor stuck
	minutes = duration_minutes(run, now)
	if (
		thresholds.max_completion_hours
		and minutes is not None
		and minutes > thresholds.max_completion_hours * 60
	):
		findings.append(
			Finding(
				COMPLETION_SLOW,
				WARNING,
				run.name,
				{
					"hours": round(minutes / 60, 2),
					"limit": thresholds.max_completion_hours,
					"finished": run.finished,
				},
			)
		)
	rate = processing_rate(run, now)
	if (
		thresholds.min_rate_per_minute
		and rate is not None
		and run.processed >= MIN_PROCESSED_FOR_RATE
		and rate < thresholds.min_rate_per_minute
	):
		findings.append(
			Finding(RATE_LOW, WARNING, run.name, {"rate": rate, "limit": thresholds.min_rate_per_minute})
		)
	return findings


def judge_runs(
	runs: list[RunFigures], by_type: dict[str, Thresholds], fallback: Thresholds, now: datetime
) -> list[Finding]:
	"""Each run against its own operation type's thresholds (a mandate run is not an account run: its
	rate counts mandates); a type without thresholds of its own gets ``fallback``, which should carry
	no rate limit. Every finding names the run's operation type."""
	findings = []
	for run in runs:
		for finding in judge_run(run, by_type.get(run.operation_type, fallback), now):
			findings.append(replace(finding, figures={**finding.figures, "operation_type": run.operation_type}))
	return findings


def summarise_runs(runs: list[RunFigures], now: datetime) -> dict:
	"""Totals over runs: count, success rate, average rate and completion time of finished runs."""
	finished = [run for run in runs if run.finished and run.started_at]
	rates = [rate for rate in (processing_rate(run, now) for run in finished) if rate is not None]
	durations = [duration_minutes(run, now) for run in finished]
	return {
		"total_operations": len(runs),
		"accounts_created": sum(run.successful for run in runs),
		"accounts_failed": sum(run.failed for run in runs),
		"success_rate": success_rate(sum(run.successful for run in runs), sum(run.failed for run in runs)),
		"average_rate_per_minute": round(sum(rates) / len(rates), 1) if rates else None,
		"average_completion_minutes": round(sum(durations) / len(durations), 1) if durations else None,
	}


def percentile(values: list[float], share: float) -> float | None:
	"""Nearest-rank percentile (``share`` 0..1) of the values; None for no values."""
	if not values:
		return None
	ordered = sorted(values)
	rank = min(len(ordered), max(1, math.ceil(share * len(ordered))))
	return ordered[rank - 1]
