"""Recommendations from run history: each cites the figures it rests on, or says there are too few.

Pure: the shell aggregates trackers and requests in the database and passes plain rows.
"""

from dataclasses import dataclass

NOT_ENOUGH_DATA = "not enough data"
# A configuration is compared only with at least this many finished runs behind it.
MIN_RUNS_PER_CONFIGURATION = 3
# Failure advice needs at least this many failures, and one reason behind this share of them.
MIN_FAILURES = 10
DOMINANT_REASON_SHARE = 0.5


@dataclass(frozen=True)
class ConfigurationRuns:
	"""Finished runs that used one batch size and one worker count (None: not recorded)."""

	batch_size: int | None
	workers: int | None
	runs: int
	accounts: int
	average_rate: float | None


@dataclass(frozen=True)
class Recommendation:
	topic: str
	advice: str  # a code the shell turns into a sentence
	figures: dict


def configuration_advice(configurations: list[ConfigurationRuns]) -> Recommendation:
	"""The fastest batch size / worker count, when two measured configurations can be compared."""
	measured = [
		c
		for c in configurations
		if c.runs >= MIN_RUNS_PER_CONFIGURATION and c.average_rate and c.workers is not None
	]
	if len(measured) < 2:
		return Recommendation(
			"configuration",
			NOT_ENOUGH_DATA,
			{
				"configurations_with_enough_runs": len(measured),
				"runs_needed": MIN_RUNS_PER_CONFIGURATION,
			},
		)
	ranked = sorted(measured, key=lambda c: c.average_rate, reverse=True)
	best, runner_up = ranked[0], ranked[1]
	return Recommendation(
		"configuration",
		"use_fastest_configuration",
		{
			"batch_size": best.batch_size,
			"workers": best.workers,
			"rate": best.average_rate,
			"runs": best.runs,
			"other_batch_size": runner_up.batch_size,
			"other_workers": runner_up.workers,
			"other_rate": runner_up.average_rate,
			"other_runs": runner_up.runs,
		},
	)


def failure_advice(reasons: list[tuple[str, str, int]]) -> Recommendation:
	"""Point at the failure reason behind most failures, given (class, reason, count) rows."""
	total = sum(count for _class, _reason, count in reasons)
	if total < MIN_FAILURES:
		return Recommendation(
			"failures", NOT_ENOUGH_DATA, {"failures": total, "failures_needed": MIN_FAILURES}
		)
	failure_class, reason, count = max(reasons, key=lambda row: row[2])
	if count < total * DOMINANT_REASON_SHARE:
		return Recommendation("failures", "no_dominant_reason", {"failures": total, "largest": count})
	return Recommendation(
		"failures",
		"fix_dominant_reason",
		{
			"failure_class": failure_class,
			"reason": reason,
			"count": count,
			"failures": total,
			"share_percent": round(count * 100 / total, 1),
		},
	)


def success_advice(successful: int, failed: int, limit_percent: float) -> Recommendation:
	"""Compare the overall success rate of finished attempts with the alert threshold."""
	attempts = successful + failed
	if attempts < MIN_FAILURES * 10:
		return Recommendation(
			"success_rate", NOT_ENOUGH_DATA, {"attempts": attempts, "attempts_needed": MIN_FAILURES * 10}
		)
	rate = round(successful * 100 / attempts, 1)
	advice = "success_rate_below_threshold" if rate < limit_percent else "success_rate_fine"
	return Recommendation(
		"success_rate",
		advice,
		{
			"success_rate": rate,
			"limit": limit_percent,
			"successful": successful,
			"failed": failed,
		},
	)
