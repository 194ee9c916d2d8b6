"""What a bulk account run will do before it starts: requests, batches, workers, expected duration.

Pure: the shell collects the members' state, the live `bulk` workers, this site's recent runs and
the queue, and passes plain values. The expected duration comes only from this site's own recent
runs; without them it is unknown (None), never a guess.
"""

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

# Why a member gets no request, in the order they are checked (the first that applies counts).
NOT_FOUND = "not_found"
NO_EMAIL = "no_email"
HAS_USER = "has_user"
NOT_ACTIVE = "not_active"
OPEN_REQUEST = "open_request"
LISTED_TWICE = "listed_twice"
REFUSAL_ORDER = (HAS_USER, OPEN_REQUEST, NOT_ACTIVE, NO_EMAIL, NOT_FOUND, LISTED_TWICE)

# What the operator should see before confirming.
NO_WORKER = "no_bulk_worker"
WORKERS_UNKNOWN = "bulk_workers_unknown"
NOTHING_TO_DO = "nothing_to_do"
QUEUE_BUSY = "bulk_queue_busy"

ACTIVE = "Active"


def refusal(found: bool, email: str | None, user: str | None, status: str | None, open_request: str | None) -> str | None:
	"""Why a member may not get a request now, or None when it may."""
	if not found:
		return NOT_FOUND
	if not email:
		return NO_EMAIL
	if user:
		return HAS_USER
	if status != ACTIVE:
		return NOT_ACTIVE
	if open_request:
		return OPEN_REQUEST
	return None


def count_refusals(codes: Iterable[str]) -> dict[str, int]:
	"""Refusals per reason, in the order of ``REFUSAL_ORDER``; reasons without members left out."""
	counts = Counter(codes)
	return {code: counts[code] for code in REFUSAL_ORDER if counts[code]}


@dataclass(frozen=True)
class PastRun:
	"""A finished run of this site: accounts it attempted and the seconds it worked (pauses left out)."""

	accounts: int
	seconds: float


@dataclass(frozen=True)
class BulkQueueLoad:
	"""What else is on the `bulk` queue: jobs waiting (this site's and other sites'), jobs running."""

	site_jobs: int = 0
	other_site_jobs: int = 0
	running_jobs: int = 0
	site_members_waiting: int = 0


def recent_rate_per_minute(runs: Iterable[PastRun]) -> float | None:
	"""Accounts per minute over the runs together; None without a usable run."""
	usable = [run for run in runs if run.accounts > 0 and run.seconds > 0]
	seconds = sum(run.seconds for run in usable)
	if not usable or seconds <= 0:
		return None
	return round(sum(run.accounts for run in usable) * 60 / seconds, 1)


def expected_seconds(count: int, rate: float | None) -> float | None:
	"""Seconds for ``count`` accounts at ``rate`` per minute; None when the rate is unknown."""
	if count <= 0:
		return 0.0
	if not rate:
		return None
	return round(count * 60 / rate, 1)


def build_plan(requests: int, refusals: dict[str, int], batch_size: int, workers: int | None,
	history: list[PastRun], load: BulkQueueLoad) -> dict:
	"""The plan shown before a run starts: plain values, warning codes for the shell to word."""
	if batch_size < 1:
		raise ValueError("batch size must be at least 1")
	rate = recent_rate_per_minute(history)
	return {
		"requests": requests,
		"excluded": sum(refusals.values()),
		"excluded_by_reason": dict(refusals),
		"batch_size": batch_size,
		"batches": math.ceil(requests / batch_size) if requests > 0 else 0,
		"bulk_workers": workers,
		"rate_per_minute": rate,
		"rate_from_runs": len([run for run in history if run.accounts > 0 and run.seconds > 0]),
		"expected_seconds": expected_seconds(requests, rate),
		"members_waiting_ahead": load.site_members_waiting,
		"expected_wait_seconds": expected_seconds(load.site_members_waiting, rate),
		"queue": {
			"site_jobs": load.site_jobs,
			"other_site_jobs": load.other_site_jobs,
			"running_jobs": load.running_jobs,
		},
		"warnings": plan_warnings(requests, workers, load),
	}


def plan_warnings(requests: int, workers: int | None, load: BulkQueueLoad) -> list[str]:
	"""Warning codes, the most serious first."""
	warnings = []
	if requests <= 0:
		return [NOTHING_TO_DO]
	if workers == 0:
		warnings.append(NO_WORKER)
	elif workers is None:
		warnings.append(WORKERS_UNKNOWN)
	if load.site_jobs or load.other_site_jobs or load.site_members_waiting:
		warnings.append(QUEUE_BUSY)
	return warnings
