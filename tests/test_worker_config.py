"""verenigingen.core.worker_config"""

import pytest

from verenigingen.core.worker_config import procfile_worker_line, with_bulk_worker


def test_adds_bulk_worker_when_missing():
	"""workers.bulk is added with the given values."""
	config, changed = with_bulk_worker({"db_host": "x"}, 600, 3)
	assert changed
	assert config == {"db_host": "x", "workers": {"bulk": {"timeout": 600, "background_workers": 3}}}


def test_keeps_other_workers_and_does_not_mutate_input():
	"""Other queues and the input stay as they were."""
	original = {"workers": {"long2": {"timeout": 5}}}
	config, changed = with_bulk_worker(original)
	assert changed and original == {"workers": {"long2": {"timeout": 5}}}
	assert config["workers"]["long2"] == {"timeout": 5}


def test_existing_bulk_entry_is_left_alone():
	"""An administrator's bulk settings win."""
	original = {"workers": {"bulk": {"timeout": 10}}}
	config, changed = with_bulk_worker(original, 3600, 2)
	assert not changed and config == original


def test_rejects_non_object_workers():
	"""A malformed workers key is reported, not overwritten."""
	with pytest.raises(ValueError):
		with_bulk_worker({"workers": ["bulk"]})


def test_procfile_line_runs_bulk_queue():
	"""The documented Procfile line serves the bulk queue."""
	assert "bench worker --queue bulk" in procfile_worker_line()
