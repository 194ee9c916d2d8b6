"""Declare the ``bulk`` RQ queue in the bench's common_site_config.json."""

import json
import os

import frappe
from frappe.utils.synchronization import filelock

from verenigingen.core.worker_config import (
	DEFAULT_BULK_TIMEOUT_SECONDS,
	DEFAULT_BULK_WORKERS,
	with_bulk_worker,
)


def common_site_config_path() -> str:
	return os.path.join(frappe.local.sites_path, "common_site_config.json")


def ensure_bulk_queue_configured(
	timeout_seconds: int = DEFAULT_BULK_TIMEOUT_SECONDS, background_workers: int = DEFAULT_BULK_WORKERS
) -> bool:
	"""Add ``workers.bulk`` when missing; return True when the file was changed."""
	path = common_site_config_path()
	with filelock("site_config", is_global=True):
		config = _read_json(path)
		updated, changed = with_bulk_worker(config, timeout_seconds, background_workers)
		if changed:
			_write_json_atomically(path, updated)
	if changed and hasattr(frappe.local, "conf"):
		frappe.local.conf["workers"] = updated["workers"]
	return changed


def _read_json(path: str) -> dict:
	if not os.path.exists(path):
		return {}
	with open(path) as f:
		return json.load(f)


def _write_json_atomically(path: str, config: dict) -> None:
	# Write beside the file and rename, so a crash never leaves half a config for every site.
	tmp_path = f"{path}.verenigingen.tmp"
	with open(tmp_path, "w") as f:
		f.write(json.dumps(config, indent=1, sort_keys=True))
	os.replace(tmp_path, path)
