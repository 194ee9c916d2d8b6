"""Backoff schedule for transient failures: parsing and the wait before the next attempt."""

from datetime import datetime, timedelta

DEFAULT_SCHEDULE_MINUTES = (5, 15, 60, 240, 720, 1440)


def parse_retry_schedule(text: str | None) -> tuple[int, ...]:
	"""Parse ``"5, 15, 60"`` into minutes; raise ValueError on anything else."""
	if text is None or not str(text).strip():
		raise ValueError("the retry schedule is empty")
	minutes = []
	for part in str(text).replace(";", ",").split(","):
		part = part.strip()
		if not part.isdigit() or int(part) <= 0:
			raise ValueError(f"'{part}' is not a whole number of minutes above zero")
		minutes.append(int(part))
	if minutes != sorted(minutes):
		raise ValueError("the retry schedule must not decrease")
	return tuple(minutes)


def retry_delay(attempt: int, schedule: tuple[int, ...], jitter_percent: int, random_fraction: float) -> timedelta | None:
	"""Wait before retry number ``attempt`` (1-based), or None when attempts are used up.

	``random_fraction`` in [0, 1) is passed in so the jitter is testable; it spreads the
	delay evenly over +/- ``jitter_percent`` so retries of one failed batch do not collide.
	"""
	if attempt < 1 or attempt > len(schedule):
		return None
	base = schedule[attempt - 1] * 60
	spread = base * jitter_percent / 100
	return timedelta(seconds=round(base - spread + 2 * spread * random_fraction))


def next_retry_at(
	now: datetime, attempt: int, schedule: tuple[int, ...], jitter_percent: int, random_fraction: float
) -> datetime | None:
	"""When retry number ``attempt`` is due, or None when it should wait for a human."""
	delay = retry_delay(attempt, schedule, jitter_percent, random_fraction)
	return None if delay is None else now + delay
