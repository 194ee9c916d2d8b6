"""Import status rules: which step is allowed when, and when a run is dead."""

from datetime import datetime, timedelta

import pytest

from verenigingen.core import import_status as s

NOW = datetime(2026, 11, 23, 12, 0)


@pytest.mark.parametrize(
	"status, job_state, silent, stale",
	[
		(s.IMPORTING, "queued", timedelta(hours=5), False),
		(s.IMPORTING, "started", timedelta(minutes=1), False),
		(s.IMPORTING, "started", timedelta(minutes=11), True),
		(s.IMPORTING, "failed", timedelta(minutes=1), True),
		(s.IMPORTING, None, timedelta(seconds=5), False),
		(s.IMPORTING, None, timedelta(minutes=2), True),
		(s.VALIDATING, "finished", timedelta(minutes=2), True),
		(s.VALIDATED, None, timedelta(days=1), False),
	],
)
def test_is_stale(status, job_state, silent, stale):
	"""Only a running status without a live, talking job is stale."""
	assert s.is_stale(status, job_state, NOW - silent, NOW) is stale


def test_running_without_any_progress_time_is_stale_when_no_job():
	"""No heartbeat at all and no job: dead."""
	assert s.is_stale(s.IMPORTING, None, None, NOW)


@pytest.mark.parametrize("status", [s.DRAFT, s.VALIDATED, s.FAILED])
def test_start_allowed(status):
	"""Draft, validated and failed imports may start."""
	assert s.can_start(status)


@pytest.mark.parametrize("status", [s.VALIDATING, s.IMPORTING, s.COMPLETED, s.COMPLETED_WITH_ERRORS])
def test_start_refused(status):
	"""A running or finished import does not start again (validate it again first)."""
	assert not s.can_start(status)


def test_stale_run_may_start_and_validate():
	"""A dead run can be taken over."""
	assert s.can_start(s.IMPORTING, stale=True)
	assert s.can_validate(s.IMPORTING, stale=True)
	assert not s.can_validate(s.IMPORTING)


def test_resume_only_after_committed_rows():
	"""A restart resumes only when an earlier run committed rows and did not finish."""
	assert s.resumes(s.FAILED, 500)
	assert s.resumes(s.IMPORTING, 500)
	assert not s.resumes(s.FAILED, 0)
	assert not s.resumes(s.VALIDATED, 500)


def test_final_status():
	"""Any refused or skipped row makes it Completed with Errors."""
	assert s.final_status(0, 0) == s.COMPLETED
	assert s.final_status(1, 0) == s.COMPLETED_WITH_ERRORS
	assert s.final_status(0, 1) == s.COMPLETED_WITH_ERRORS
