"""Real `bench worker --queue long` processes for the import tests (the same handling as BulkWorkers)."""

import time

import frappe

from verenigingen.member_import import DOCTYPE
from verenigingen.tests.workers import BulkWorkers


class LongWorkers(BulkWorkers):
	"""Worker processes serving the `long` queue of this bench (all its sites)."""

	queue = "long"


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
