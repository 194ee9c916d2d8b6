"""The life of a Mijnrood import: which status allows which step, and when a run counts as dead."""

from datetime import datetime, timedelta

DRAFT = "Draft"
VALIDATING = "Validating"
VALIDATED = "Validated"
IMPORTING = "Importing"
COMPLETED = "Completed"
COMPLETED_WITH_ERRORS = "Completed with Errors"
FAILED = "Failed"
STATUSES = (DRAFT, VALIDATING, VALIDATED, IMPORTING, COMPLETED, COMPLETED_WITH_ERRORS, FAILED)
RUNNING = frozenset({VALIDATING, IMPORTING})
FINISHED = frozenset({COMPLETED, COMPLETED_WITH_ERRORS})

# RQ job states in which the job will still run or is running
LIVE_JOB_STATES = frozenset({"queued", "started", "deferred", "scheduled"})
# a running job reports progress at least once per chunk; silence this long means it died
STALE_AFTER = timedelta(minutes=10)
# the job is enqueued just after the status is committed: give it this long to appear
ENQUEUE_GRACE = timedelta(seconds=30)


def is_stale(status: str, job_state: str | None, progress_at: datetime | None, now: datetime) -> bool:
	"""True when a Validating/Importing run has no live job behind it any more."""
	if status not in RUNNING:
		return False
	silent_for = now - progress_at if progress_at else STALE_AFTER * 2
	if job_state in LIVE_JOB_STATES:
		# a killed worker leaves its job "started" for good: only the silence tells
		return job_state == "started" and silent_for > STALE_AFTER
	return silent_for > ENQUEUE_GRACE


def can_validate(status: str, stale: bool = False) -> bool:
	"""Validation may (re)start unless a run is in progress."""
	return status not in RUNNING or stale


def can_start(status: str, stale: bool = False) -> bool:
	"""An import may start from a draft or a validated file, and resume after a failure or a dead run."""
	return status in (DRAFT, VALIDATED, FAILED) or (status in RUNNING and stale)


def resumes(status: str, rows_done: int) -> bool:
	"""A restart continues where the last committed chunk ended, instead of starting over."""
	return status in (FAILED, IMPORTING) and rows_done > 0


def final_status(errors: int, skipped: int) -> str:
	"""Completed, or Completed with Errors when any row was refused or skipped."""
	return COMPLETED_WITH_ERRORS if errors or skipped else COMPLETED
