"""verenigingen.core.batching"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verenigingen.core.batching import batch_job_id, split_into_batches


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
