"""Real `bench worker --queue long` processes for the import tests (the same handling as BulkWorkers)."""

import time

import frappe
from frappe.utils.background_jobs import get_queue
from rq import Worker

from verenigingen.member_import import DOCTYPE
from verenigingen.tests.workers import BulkWorkers


class LongWorkers(BulkWorkers):
	"""Worker processes serving the `long` queue of this bench (all its sites)."""

	queue = "long"

	def start(self) -> "LongWorkers":
		"""Start, then let them work off what was queued before (a migrate queues Frappe's website
		search index: about 45 s per job on an ERPNext site), so a test's own job is next in line."""
		super().start()
		wait_until_long_queue_is_worked_off()
		return self


def wait_until_long_queue_is_worked_off(timeout: float = 900) -> None:
	"""Until `long` holds no queued job and none of its live workers is busy."""
	from verenigingen.shared.queues import process_alive

	queue = get_queue("long")
	deadline = time.monotonic() + timeout
	while time.monotonic() < deadline:
		busy = [worker for worker in Worker.all(queue=queue)
			if worker.get_state() == "busy" and process_alive(worker.hostname, worker.pid) is not False]
		if not queue.count and not busy:
			return
		time.sleep(0.5)
	raise AssertionError(f"the long queue was not worked off in {timeout}s ({queue.count} queued)")


class WithLongWorkers:
	"""Test-class mixin: one real `long` worker serves the whole class."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.workers = LongWorkers(1).start()

	@classmethod
	def tearDownClass(cls):
		cls.workers.stop()
		super().tearDownClass()


def wait_for_import(import_name: str, statuses, timeout: float = 120) -> dict:
	"""Poll the committed import until its status is one of ``statuses``."""
	deadline, row = time.monotonic() + timeout, None
	while time.monotonic() < deadline:
		frappe.db.rollback()  # see the worker's commits
		row = frappe.db.get_value(DOCTYPE, import_name, "*", as_dict=True)
		if row.status in statuses:
			return row
		time.sleep(0.3)
	raise AssertionError(f"import {import_name} did not reach {statuses} in {timeout}s: {row and row.status}")
