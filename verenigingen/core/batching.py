"""Cutting a bulk run into batches and naming their jobs."""

import re
from collections.abc import Sequence

BATCH_JOB_PREFIX = "verenigingen-accounts-"
_BATCH_JOB_ID = re.compile(r"^verenigingen-accounts-(?P<tracker>.+)-b(?P<batch>\d+)(?:-r\d+)?$")


def split_into_batches(items: Sequence[str], batch_size: int) -> list[list[str]]:
	"""Consecutive batches of at most ``batch_size`` items (the last may be shorter)."""
	if batch_size < 1:
		raise ValueError("batch size must be at least 1")
	return [list(items[start : start + batch_size]) for start in range(0, len(items), batch_size)]


def batch_job_id(tracker_name: str, batch_number: int, generation: int = 0) -> str:
	"""Stable RQ job id of a batch, so enqueueing it twice is a no-op.

	``generation`` changes when recovery re-enqueues a batch whose job was lost.
	"""
	suffix = f"-r{generation}" if generation else ""
	return f"{BATCH_JOB_PREFIX}{tracker_name}-b{batch_number}{suffix}"


def tracker_of_batch_job(job_id: str) -> str | None:
	"""The tracker a batch job id belongs to, or None for any other job."""
	batch = batch_of_job(job_id)
	return batch[0] if batch else None


def batch_of_job(job_id: str) -> tuple[str, int] | None:
	"""The tracker and batch number a batch job id (of any generation) belongs to, or None."""
	match = _BATCH_JOB_ID.match(job_id or "")
	return (match.group("tracker"), int(match.group("batch"))) if match else None


def may_take_more_batches(elapsed_seconds: float, job_timeout_seconds: float) -> bool:
	"""Whether a batch job may go on with another waiting batch of its run.

	Only in the first half of its timeout: the batch it takes on must finish well before
	the queue kills the job.
	"""
	return elapsed_seconds < job_timeout_seconds / 2
