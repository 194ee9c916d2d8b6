"""verenigingen.core.run_plan"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verenigingen.core.run_plan import (
	HAS_USER,
	LISTED_TWICE,
	NO_EMAIL,
	NO_WORKER,
	NOT_ACTIVE,
	NOT_FOUND,
	NOTHING_TO_DO,
	OPEN_REQUEST,
	QUEUE_BUSY,
	WORKERS_UNKNOWN,
	BulkQueueLoad,
	PastRun,
	build_plan,
	count_refusals,
	expected_seconds,
	recent_rate_per_minute,
	refusal,
)

IDLE = BulkQueueLoad()


@pytest.mark.parametrize(
	"found, email, user, status, open_request, reason",
	[
		(False, None, None, None, None, NOT_FOUND),
		(True, "", None, "Active", None, NO_EMAIL),
		(True, "a@example.org", "a@example.org", "Active", None, HAS_USER),
		(True, "a@example.org", None, "Suspended", None, NOT_ACTIVE),
		(True, "a@example.org", None, "Active", "ACR-0000001", OPEN_REQUEST),
		(True, "a@example.org", "a@example.org", "Active", "ACR-0000001", HAS_USER),
		(True, "a@example.org", None, "Active", None, None),
	],
)
def test_refusal(found, email, user, status, open_request, reason):
	"""The first reason that applies counts; an eligible member has none."""
	assert refusal(found, email, user, status, open_request) == reason


def test_count_refusals_in_a_fixed_order():
	"""Counts per reason, most telling reasons first, reasons without members left out."""
	counts = count_refusals([NOT_FOUND, HAS_USER, LISTED_TWICE, HAS_USER, OPEN_REQUEST])
	assert list(counts.items()) == [(HAS_USER, 2), (OPEN_REQUEST, 1), (NOT_FOUND, 1), (LISTED_TWICE, 1)]


def test_rate_from_recent_runs_together():
	"""Accounts over seconds of all usable runs; runs without accounts or time do not count."""
	runs = [PastRun(600, 300), PastRun(100, 100), PastRun(0, 50), PastRun(10, 0)]
	assert recent_rate_per_minute(runs) == 105.0
	assert recent_rate_per_minute([]) is None
	assert recent_rate_per_minute([PastRun(0, 10)]) is None


def test_expected_seconds_unknown_without_a_rate():
	"""Never a made-up number: no rate, no duration; nothing to do takes no time."""
	assert expected_seconds(120, 60.0) == 120.0
	assert expected_seconds(120, None) is None
	assert expected_seconds(0, None) == 0.0


def test_plan_with_history_and_workers():
	plan = build_plan(4700, {HAS_USER: 3, OPEN_REQUEST: 2}, 50, 2, [PastRun(1000, 400)], IDLE)
	assert (plan["requests"], plan["excluded"], plan["batches"], plan["bulk_workers"]) == (4700, 5, 94, 2)
	assert plan["rate_per_minute"] == 150.0
	assert plan["expected_seconds"] == 1880.0
	assert plan["rate_from_runs"] == 1
	assert plan["warnings"] == []


def test_plan_without_history_says_unknown():
	plan = build_plan(10, {}, 50, 2, [], IDLE)
	assert (plan["batches"], plan["rate_per_minute"], plan["expected_seconds"]) == (1, None, None)


@pytest.mark.parametrize(
	"requests, workers, load, warnings",
	[
		(10, 0, IDLE, [NO_WORKER]),
		(10, None, IDLE, [WORKERS_UNKNOWN]),
		(10, 0, BulkQueueLoad(other_site_jobs=3), [NO_WORKER, QUEUE_BUSY]),
		(10, 2, BulkQueueLoad(site_members_waiting=40), [QUEUE_BUSY]),
		(0, 0, BulkQueueLoad(site_jobs=1), [NOTHING_TO_DO]),
	],
)
def test_plan_warnings(requests, workers, load, warnings):
	"""No worker is the loudest warning; an empty plan only says there is nothing to do."""
	assert build_plan(requests, {}, 50, workers, [], load)["warnings"] == warnings


def test_plan_counts_the_wait_ahead_at_the_same_rate():
	plan = build_plan(60, {}, 50, 1, [PastRun(60, 60)], BulkQueueLoad(site_jobs=2, site_members_waiting=120))
	assert (plan["expected_seconds"], plan["members_waiting_ahead"], plan["expected_wait_seconds"]) == (60.0, 120, 120.0)
	assert plan["queue"] == {"site_jobs": 2, "other_site_jobs": 0, "running_jobs": 0}


def test_batch_size_must_be_positive():
	with pytest.raises(ValueError):
		build_plan(1, {}, 0, 1, [], IDLE)


@given(st.integers(0, 10_000), st.integers(1, 500))
def test_batches_cover_every_request(requests, batch_size):
	"""Batches times size covers the requests, with less than one batch to spare."""
	batches = build_plan(requests, {}, batch_size, 1, [], IDLE)["batches"]
	assert batches * batch_size >= requests > (batches - 1) * batch_size or requests == batches == 0
