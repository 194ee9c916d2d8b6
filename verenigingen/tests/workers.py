"""Real bench processes for integration tests: `bench worker` for a queue, or any frappe command."""

import os
import signal
import subprocess
import time

import frappe
from frappe.utils import get_bench_path

from verenigingen.account_creation import TRACKER
from verenigingen.core.bulk_progress import FINISHED_STATUSES


def start_bench_process(args: list[str], log_name: str) -> subprocess.Popen:
	"""Run ``frappe <args>`` from this bench's sites folder, in a process group of its own."""
	bench = get_bench_path()
	command = [os.path.join(bench, "env", "bin", "python"), "-m", "frappe.utils.bench_helper", "frappe", *args]
	log = open(os.path.join(bench, "logs", log_name), "ab")  # noqa: SIM115 - the child keeps writing to it
	return subprocess.Popen(command, cwd=os.path.join(bench, "sites"), stdout=log, stderr=subprocess.STDOUT,
		start_new_session=True)


class BulkWorkers:
	"""Start, stop and kill worker processes that serve the `bulk` queue of this bench."""

	queue = "bulk"

	def __init__(self, count: int = 2):
		self.count = count
		self.processes: list[subprocess.Popen] = []

	def start(self) -> "BulkWorkers":
		for _ in range(self.count):
			self.processes.append(
				start_bench_process(["worker", "--queue", self.queue], f"verenigingen-test-{self.queue}-workers.log")
			)
		return self

	def kill(self) -> None:
		"""SIGKILL every worker and its work horse (the whole process group)."""
		self._signal(signal.SIGKILL)

	def stop(self) -> None:
		self._signal(signal.SIGTERM)

	def _signal(self, sig) -> None:
		for process in self.processes:
			try:
				os.killpg(process.pid, sig)
			except ProcessLookupError:
				pass
		for process in self.processes:
			try:
				process.wait(timeout=30)
			except subprocess.TimeoutExpired:
				os.killpg(process.pid, signal.SIGKILL)
				process.wait(timeout=30)
		self.processes = []


class WithBulkWorkers:
	"""Test-class mixin: two real `bulk` workers serve the whole class."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.workers = BulkWorkers(2).start()

	@classmethod
	def tearDownClass(cls):
		cls.workers.stop()
		super().tearDownClass()


def wait_for_tracker(tracker_name: str, timeout: float = 300, until=None) -> dict:
	"""Poll the tracker (committed state) until it finishes or ``until(doc)`` holds."""
	deadline = time.monotonic() + timeout
	while time.monotonic() < deadline:
		frappe.db.rollback()  # see other connections' commits
		doc = frappe.db.get_value(TRACKER, tracker_name, "*", as_dict=True)
		if (until and until(doc)) or (not until and doc.status in FINISHED_STATUSES):
			return doc
		time.sleep(0.3)
	raise AssertionError(f"tracker {tracker_name} did not get there in {timeout}s: {doc}")
