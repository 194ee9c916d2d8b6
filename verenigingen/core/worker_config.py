"""The ``bulk`` RQ queue as Frappe reads it from ``common_site_config.json``."""

BULK_QUEUE = "bulk"
DEFAULT_BULK_TIMEOUT_SECONDS = 3600
DEFAULT_BULK_WORKERS = 2


def with_bulk_worker(
	config: dict,
	timeout_seconds: int = DEFAULT_BULK_TIMEOUT_SECONDS,
	background_workers: int = DEFAULT_BULK_WORKERS,
) -> tuple[dict, bool]:
	"""Return ``(config, changed)`` with ``workers.bulk`` added when missing.

	An existing ``workers.bulk`` entry is an administrator's choice and is left as it is;
	every other key is returned untouched. The input dict is not modified.
	"""
	workers = config.get("workers")
	if workers is not None and not isinstance(workers, dict):
		raise ValueError("common_site_config.json: 'workers' must be an object")
	if workers and BULK_QUEUE in workers:
		return dict(config), False
	new_workers = dict(workers or {})
	new_workers[BULK_QUEUE] = {"timeout": int(timeout_seconds), "background_workers": int(background_workers)}
	return {**config, "workers": new_workers}, True


def procfile_worker_line(bench_command: str = "bench") -> str:
	"""The Procfile line that runs a worker for the ``bulk`` queue."""
	return f"worker_bulk: {bench_command} worker --queue {BULK_QUEUE} 1>> logs/worker_bulk.log 2>> logs/worker_bulk.error.log"
