"""Real bench processes for integration tests: `bench worker` for a queue, or any frappe command."""

import os
import signal
import subprocess
import time

import frappe
import psutil
from frappe.utils import get_bench_path

from verenigingen.account_creation import TRACKER
from verenigingen.core.bulk_progress import FINISHED_STATUSES
from verenigingen.shared.queues import forget_jobs_of_an_earlier_site

# Frappe's execute_job sets frappe.flags.in_test when CI is in a worker's environment, which
# switches off side effects production has (Gravatar look-ups, password checks, versions).
TEST_ONLY_ENVIRONMENT = ("CI",)
NETWORK_GUARD_PATH = os.path.join(os.path.dirname(__file__), "network_guard")


def production_environment(**extra: str) -> dict[str, str]:
	"""This process's environment without the variables that make Frappe behave as in a test."""
	env = {key: value for key, value in os.environ.items() if key not in TEST_ONLY_ENVIRONMENT}
	env.update(extra)
	return env


def network_guarded_environment(log_path: str) -> dict[str, str]:
	"""A production environment whose Python processes refuse and record non-local network requests."""
	path = os.pathsep.join(filter(None, [NETWORK_GUARD_PATH, os.environ.get("PYTHONPATH")]))
	return production_environment(PYTHONPATH=path, VERENIGINGEN_NETWORK_GUARD_LOG=log_path)


def start_bench_process(args: list[str], log_name: str, env: dict[str, str] | None = None) -> subprocess.Popen:
	"""Run ``frappe <args>`` from this bench's sites folder, in a process group of its own."""
	bench = get_bench_path()
	command = [os.path.join(bench, "env", "bin", "python"), "-m", "frappe.utils.bench_helper", "frappe", *args]
	log = open(os.path.join(bench, "logs", log_name), "ab")  # noqa: SIM115 - the child keeps writing to it
	return subprocess.Popen(command, cwd=os.path.join(bench, "sites"), stdout=log, stderr=subprocess.STDOUT,
		start_new_session=True, env=env)


def record_worker_flags(path: str) -> None:
	"""Job body for tests: write the flags this worker runs jobs with (no test flags in production)."""
	import json

	with open(path, "w", encoding="utf-8") as out:
		json.dump({"in_test": bool(frappe.flags.in_test), "CI": "CI" in os.environ, "pid": os.getpid()}, out)


class BulkWorkers:
	"""Start, stop and kill worker processes that serve the `bulk` queue of this bench."""

	queue = "bulk"

	def __init__(self, count: int = 2, queue: str | None = None, env: dict[str, str] | None = None):
		self.count = count
		self.queue = queue or self.queue
		self.env = env
		self.processes: list[subprocess.Popen] = []

	def start(self) -> "BulkWorkers":
		for _ in range(self.count):
			self.processes.append(
				start_bench_process(["worker", "--queue", self.queue], f"verenigingen-test-{self.queue}-workers.log",
					self.env)
			)
		return self

	def kill(self) -> int:
		"""SIGKILL every worker and its work horse; return how many work horses there were.

		rq starts each work horse in a session of its own (``os.setsid``), so the worker's
		process group does not hold it: the horse is found among the worker's children.
		"""
		horses = []
		for process in self.processes:
			try:
				horses += psutil.Process(process.pid).children(recursive=True)
			except psutil.NoSuchProcess:
				continue
		for horse in horses:
			try:
				horse.kill()
			except psutil.NoSuchProcess:
				pass
		self._signal(signal.SIGKILL)
		psutil.wait_procs(horses, timeout=30)
		return len(horses)

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


class OtherHostWorkers:
	"""`bench worker` processes running as another host would: in a UTS and PID namespace of their
	own (``unshare``: another hostname, their own process ids), on this machine's network, so on
	the same Redis and MariaDB over 127.0.0.1. ``kill`` ends the host from outside: SIGKILL to the
	namespace's init makes the kernel kill every process in it, workers and work horses alike, as
	when a machine dies. Needs root (unshare)."""

	def __init__(self, hostname: str, count: int = 1, queue: str = "bulk", env: dict[str, str] | None = None):
		self.hostname, self.count, self.queue, self.env = hostname, count, queue, env
		self.unshare: subprocess.Popen | None = None

	def start(self) -> "OtherHostWorkers":
		bench = get_bench_path()
		worker = f"{os.path.join(bench, 'env', 'bin', 'python')} -m frappe.utils.bench_helper frappe worker --queue {self.queue}"
		script = f"hostname {self.hostname}; " + " ".join([f"{worker} &"] * self.count) + " wait"
		log = open(os.path.join(bench, "logs", f"verenigingen-test-{self.hostname}.log"), "ab")  # noqa: SIM115
		self.unshare = subprocess.Popen(["unshare", "--uts", "--pid", "--fork", "--mount-proc", "sh", "-c", script],
			cwd=os.path.join(bench, "sites"), stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=self.env)
		return self

	def init(self) -> psutil.Process | None:
		"""The namespace's init (pid 1 inside it): the shell unshare forked."""
		for _ in range(100):
			try:
				children = psutil.Process(self.unshare.pid).children()
			except psutil.NoSuchProcess:
				return None
			if children:
				return children[0]
			time.sleep(0.05)
		return None

	def kill(self) -> None:
		"""The host dies: SIGKILL its namespace's init; the kernel kills everything in the namespace."""
		init = self.init()
		if init:
			init.kill()
		self.unshare.wait(timeout=30)

	def stop(self) -> None:
		"""Warm shutdown of the host's workers (its init ignores SIGTERM), then the namespace ends."""
		if not self.unshare or self.unshare.poll() is not None:
			return
		init = self.init()
		workers = init.children() if init else []
		for worker in workers:
			try:
				worker.terminate()
			except psutil.NoSuchProcess:
				pass
		try:
			self.unshare.wait(timeout=60)
		except subprocess.TimeoutExpired:
			self.kill()


class WithBulkWorkers:
	"""Test-class mixin: two real `bulk` workers serve the whole class.

	Before they start, the site's app jobs that earlier test classes left in Redis are removed:
	those classes' documents were rolled back, so this class's runs get the same names again
	(BOT-00003) and Frappe's deduplicate would skip their jobs as copies of the old ones.
	"""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		forget_jobs_of_an_earlier_site()
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
