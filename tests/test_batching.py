"""verenigingen.core.batching"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verenigingen.core.batching import (
	batch_job_id,
	batch_of_job,
	may_take_more_batches,
	split_into_batches,
	tracker_of_batch_job,
)


@pytest.mark.parametrize("size, expected", [(1, [1]), (49, [49]), (50, [50]), (51, [50, 1]), (101, [50, 50, 1])])
def test_batch_sizes(size, expected):
	"""The issue's sizes cut into batches of 50."""
	assert [len(b) for b in split_into_batches([str(i) for i in range(size)], 50)] == expected


def test_rejects_zero_batch_size():
	"""A batch size below one is an error, not an endless loop."""
	with pytest.raises(ValueError):
		split_into_batches(["a"], 0)


@given(st.lists(st.text(max_size=3), max_size=300), st.integers(1, 80))
def test_batches_keep_every_item_once_in_order(items, size):
	"""Concatenated batches are the input."""
	batches = split_into_batches(items, size)
	assert [item for batch in batches for item in batch] == items
	assert all(1 <= len(batch) <= size for batch in batches)


def test_batch_job_ids_are_stable_and_distinct():
	"""Same batch, same id; a recovery generation gets a new one."""
	assert batch_job_id("BOT-00001", 2) == batch_job_id("BOT-00001", 2)
	assert batch_job_id("BOT-00001", 2) != batch_job_id("BOT-00001", 3)
	assert batch_job_id("BOT-00001", 2, 1) != batch_job_id("BOT-00001", 2)


@pytest.mark.parametrize("elapsed, timeout, expected", [(0, 3600, True), (1799.9, 3600, True), (1800, 3600, False),
	(5000, 3600, False), (9.9, 20, True), (10, 20.0, False)])
def test_a_job_takes_more_batches_only_in_the_first_half_of_its_timeout(elapsed, timeout, expected):
	"""A batch taken on late could still be running when the queue kills the job."""
	assert may_take_more_batches(elapsed, timeout) is expected


@pytest.mark.parametrize("tracker", ["BOT-00001", "BOT-2026-00017", "x-b3"])
@pytest.mark.parametrize("generation", [0, 1733112000])
def test_tracker_is_read_back_from_a_batch_job_id(tracker, generation):
	"""Recovery finds which runs still have a job by reading the tracker from job ids."""
	assert tracker_of_batch_job(batch_job_id(tracker, 12, generation)) == tracker


@pytest.mark.parametrize("job_id", ["", "verenigingen-account-ACR-0001-a1", "frappe-job", "verenigingen-accounts-"])
def test_other_job_ids_belong_to_no_tracker(job_id):
	assert tracker_of_batch_job(job_id) is None


@pytest.mark.parametrize("tracker", ["BOT-00001", "x-b3"])
@pytest.mark.parametrize("generation", [0, 2, 1733112000])
def test_batch_is_read_back_from_a_batch_job_id(tracker, generation):
	"""A job that took on a batch finds that batch's own jobs, whatever their generation."""
	assert batch_of_job(batch_job_id(tracker, 7, generation)) == (tracker, 7)
	assert batch_of_job(batch_job_id(tracker, 17, generation)) != (tracker, 7)


@pytest.mark.parametrize("job_id", ["", "verenigingen-account-ACR-0001-a1", "verenigingen-accounts-BOT-1-bx"])
def test_other_job_ids_belong_to_no_batch(job_id):
	assert batch_of_job(job_id) is None
