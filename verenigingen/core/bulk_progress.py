"""Status, rate and ETA of a bulk operation, derived from its request counts."""

from dataclasses import dataclass
from datetime import datetime, timedelta

QUEUED = "Queued"
PROCESSING = "Processing"
COMPLETED = "Completed"
COMPLETED_WITH_ERRORS = "Completed with Errors"
FAILED = "Failed"
CANCELLED = "Cancelled"
# An operator stopped the run between members; it goes on where it stopped once resumed.
PAUSED = "Paused"
FINISHED_STATUSES = frozenset({COMPLETED, COMPLETED_WITH_ERRORS, FAILED, CANCELLED})
# A live recount reads every row of its run (requests, or outcome events). Spaced in proportion to
# them, but at least a second apart, recounts keep the same small share of the database whatever the
# run's size: one a second over 40,000 events made a mandate cost MariaDB 1.5 times as much.
LIVE_RECOUNT_MIN_SECONDS = 1.0
LIVE_RECOUNT_ROWS_PER_SECOND = 10_000


def live_recount_interval(rows: int) -> float:
	"""Seconds between two live recounts of a run whose recount reads ``rows`` rows."""
	return max(LIVE_RECOUNT_MIN_SECONDS, (rows or 0) / LIVE_RECOUNT_ROWS_PER_SECOND)


def recount_due(seconds_since_written: float, unless_written_within: float | None, rows: int) -> bool:
	"""Whether a run's tracker is recounted now: always without ``unless_written_within``, else once
	it was last written longer ago than that and than the run's live recount interval."""
	if not unless_written_within:
		return True
	return seconds_since_written >= max(unless_written_within, live_recount_interval(rows))


@dataclass(frozen=True)
class RequestCounts:
	"""How many of a tracker's requests are in each state."""

	total: int = 0
	successful: int = 0
	failed: int = 0  # failed for good: permanent, or retries used up
	waiting_for_retry: int = 0
	cancelled: int = 0

	@property
	def processed(self) -> int:
		return self.successful + self.failed + self.cancelled

	@property
	def open(self) -> int:
		"""Requests still to run now or later (queued, in flight, or waiting for a retry)."""
		return max(self.total - self.processed, 0)


def derive_status(counts: RequestCounts, cancel_requested: bool = False, paused: bool = False) -> str:
	"""The tracker status that the counts imply; a cancel outranks a pause, a finished run is finished."""
	if counts.open:
		if cancel_requested:
			return CANCELLED if counts.open == counts.waiting_for_retry else PROCESSING
		if paused:
			return PAUSED
		return PROCESSING if counts.processed or counts.waiting_for_retry else QUEUED
	if cancel_requested and counts.cancelled:
		return CANCELLED
	if counts.total and counts.successful == counts.total:
		return COMPLETED
	if counts.total and counts.successful == 0 and counts.failed == counts.total:
		return FAILED
	return COMPLETED_WITH_ERRORS if counts.total else COMPLETED


def rate_per_minute(done: int, started_at: datetime | None, now: datetime, paused_seconds: float = 0) -> float | None:
	"""Finished requests per minute since the start, time spent paused left out; None when unknown yet."""
	if not started_at or done <= 0:
		return None
	seconds = active_seconds(started_at, now, paused_seconds)
	return None if seconds <= 0 else round(done * 60 / seconds, 1)


def active_seconds(started_at: datetime, end: datetime, paused_seconds: float = 0,
	paused_at: datetime | None = None) -> float:
	"""Seconds a run worked between its start and ``end``: earlier pauses and a pause still on left out."""
	if paused_at and paused_at < end:
		end = paused_at
	return (end - started_at).total_seconds() - (paused_seconds or 0)


def estimate_finish(remaining: int, rate: float | None, now: datetime) -> datetime | None:
	"""When the remaining requests will be done at the current rate; None when unknown."""
	if remaining <= 0:
		return now
	if not rate:
		return None
	return now + timedelta(minutes=remaining / rate)


def sort_error_counts(counts: dict[str, int]) -> dict[str, int]:
	"""Failures per reason, most frequent first (ties alphabetical)."""
	return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def run_values(counts: RequestCounts, started_at: datetime | None, finished_at: datetime | None, now: datetime) -> dict:
	"""What a run derived from its items' outcomes stores: counts, status, rate; finish time or ETA.

	For runs whose counts come from their items (mandate, Customer, invoicing and payment runs);
	a finished run keeps its first finish time.
	"""
	status = derive_status(counts)
	rate = rate_per_minute(counts.processed, started_at, now)
	values = {
		"processed": counts.processed,
		"successful": counts.successful,
		"failed": counts.failed,
		"status": status,
		"rate_per_minute": rate or 0,
	}
	if status in FINISHED_STATUSES:
		values.update(finished_at=finished_at or now, eta=None)
	else:
		values["eta"] = estimate_finish(counts.open, rate, now)
	return values
