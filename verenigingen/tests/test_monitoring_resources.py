"""ResourceMonitor against /proc, the health status per caller, and the Prometheus endpoint over HTTP."""

import os
import time
from unittest.mock import patch

import frappe
import psutil
import requests
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_bench_path
from frappe.utils.background_jobs import get_queue
from prometheus_client.parser import text_string_to_metric_families
from rq import Worker

from verenigingen.monitoring import ALERT
from verenigingen.monitoring.metrics import exposition
from verenigingen.core.system_figures import MIN_CPU_WINDOW_SECONDS
from verenigingen.monitoring.resources import CPU_SAMPLE_KEY, CPU_SECOND_SAMPLE_SECONDS, ResourceMonitor
from verenigingen.permissions import MONITORING_ROLE
from verenigingen.tests.factories import make_staff_user, make_user
from verenigingen.tests.test_member_import_browser import WebServer
from verenigingen.tests.workers import BulkWorkers
from verenigingen.utils import health


def proc_status_kib(pid: int, field: str) -> int:
	with open(f"/proc/{pid}/status") as status:
		line = next(line for line in status if line.startswith(field + ":"))
	return int(line.split()[1])


def meminfo_kib(field: str) -> int:
	with open("/proc/meminfo") as meminfo:
		line = next(line for line in meminfo if line.startswith(field + ":"))
	return int(line.split()[1])


def wait_for_registered_worker(pid: int, timeout: float = 90) -> None:
	deadline = time.monotonic() + timeout
	while time.monotonic() < deadline:
		if any(worker.pid == pid for worker in Worker.all(queue=get_queue("bulk"))):
			return
		time.sleep(0.2)
	raise AssertionError(f"worker {pid} did not register in {timeout}s")


class TestResourceMonitor(FrappeTestCase):
	def test_figures_match_proc_for_the_same_process(self):
		workers = BulkWorkers(1).start()
		try:
			pid = workers.processes[0].pid
			wait_for_registered_worker(pid)
			figures = ResourceMonitor().collect_system_metrics()
			vm_rss = proc_status_kib(pid, "VmRSS") * 1024
			(row,) = [w for w in figures["workers"] if w["pid"] == pid]
		finally:
			workers.stop()
		# An idle worker's RSS barely moves between two reads a moment apart.
		self.assertAlmostEqual(row["rss_bytes"], vm_rss, delta=vm_rss * 0.05)
		self.assertIn("bulk", ",".join(row["queues"]))
		self.assertEqual(figures["memory"]["total_bytes"], meminfo_kib("MemTotal") * 1024)
		stat = os.statvfs(get_bench_path())
		self.assertEqual(figures["disk"]["total_bytes"], stat.f_blocks * stat.f_frsize)
		self.assertEqual(len(figures["load_average"]), 3)
		size = frappe.db.sql(
			"""select sum(data_length + index_length) from information_schema.tables
			where table_schema = %(db)s""",
			{"db": frappe.conf.db_name},
		)[0][0]
		self.assertEqual(figures["database_size_bytes"], int(size))
		self.assertGreater(figures["redis_queue_memory_bytes"], 0)
		self.assertLess(figures["collection_seconds"], 2)

	def test_cpu_is_measured_on_the_first_collection_then_between_collections(self):
		"""First load: two samples CPU_SECOND_SAMPLE_SECONDS apart; later: since the kept sample."""
		frappe.cache.delete_value(CPU_SAMPLE_KEY)
		monitor = ResourceMonitor()
		first = monitor.collect_system_metrics()
		self.assertIsInstance(first["cpu_percent"], float)
		self.assertTrue(0 <= first["cpu_percent"] <= 100)
		self.assertGreaterEqual(first["cpu_window_seconds"], round(CPU_SECOND_SAMPLE_SECONDS, 1))
		kept = frappe.cache.get_value(CPU_SAMPLE_KEY)
		kept[0] = time.time()  # as if the rest of the collection took no time: the next call comes at once
		frappe.cache.set_value(CPU_SAMPLE_KEY, kept)
		with patch("verenigingen.monitoring.resources.time.sleep") as sleep:
			again = monitor.collect_system_metrics()  # as page parts loading together do
		sleep.assert_not_called()
		self.assertEqual((again["cpu_percent"], again["cpu_window_seconds"]),
			(first["cpu_percent"], first["cpu_window_seconds"]))
		self.assertEqual(frappe.cache.get_value(CPU_SAMPLE_KEY), kept)
		total = sum(psutil.cpu_times())
		# a second after the kept sample, and the kernel's CPU clock moved on, whatever the speed
		while time.time() < kept[0] + MIN_CPU_WINDOW_SECONDS or sum(psutil.cpu_times()) <= total:
			time.sleep(0.05)
		second = monitor.collect_system_metrics()
		self.assertIsInstance(second["cpu_percent"], float)
		self.assertTrue(0 <= second["cpu_percent"] <= 100)
		# Measured from the kept sample, not from a second one of its own.
		now = frappe.cache.get_value(CPU_SAMPLE_KEY)
		self.assertEqual(second["cpu_window_seconds"], round(now[0] - kept[0], 1))

	def test_unreadable_figure_is_none_not_zero(self):
		self.assertIsNone(ResourceMonitor.read(lambda: psutil.Process(2**22 + 1).memory_info()))


class TestHealth(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_guest_and_non_staff_see_only_the_status(self):
		member = make_user()
		system_user = make_user(roles=(), user_type="System User")
		for user in ("Guest", member.name, system_user.name):
			frappe.set_user(user)
			result = health.check()
			self.assertEqual(set(result), {"status", "timestamp"}, user)
			self.assertIn(result["status"], ("ok", "degraded", "down"))

	def test_staff_see_the_details(self):
		frappe.set_user(make_staff_user().name)
		result = health.check()
		self.assertTrue(result["database"] and result["redis_cache"] and result["redis_queue"])
		self.assertIn("bulk", result["queues"])
		critical = frappe.db.count(
			ALERT, {"severity": "Critical", "status": ("in", ("Open", "Acknowledged"))}
		)
		self.assertEqual(result["open_critical_alerts"], critical)
		self.assertEqual(
			result["status"] == "ok",
			not critical
			and result["scheduler_enabled"] is not False
			and not (result["queues"]["bulk"]["queued"] and not result["queues"]["bulk"]["workers"]),
		)


def samples(text: str) -> dict:
	return {
		(s.name, tuple(sorted(s.labels.items()))): s.value
		for family in text_string_to_metric_families(text)
		for s in family.samples
	}


class TestPrometheus(FrappeTestCase):
	def test_exposition_holds_the_database_figures(self):
		values = samples(exposition().decode())
		completed = frappe.db.count("Account Creation Request", {"status": "Completed"})
		self.assertEqual(values[("verenigingen_accounts_created_total", ())], completed)
		self.assertEqual(
			values.get(("verenigingen_account_requests", (("status", "Completed"),)), 0), completed
		)
		trackers = sum(v for (name, _labels), v in values.items() if name == "verenigingen_bulk_operations")
		self.assertEqual(trackers, frappe.db.count("Bulk Operation Tracker"))
		critical = frappe.db.count(
			ALERT, {"severity": "Critical", "status": ("in", ("Open", "Acknowledged"))}
		)
		self.assertEqual(values[("verenigingen_alerts_open", (("severity", "Critical"),))], critical)
		self.assertEqual(values[("verenigingen_queue_redis_up", ())], 1)
		self.assertIn(("verenigingen_queue_jobs", (("queue", "bulk"), ("state", "queued"))), values)

	def test_endpoint_over_http_with_an_api_key(self):
		monitor = make_user(roles=(MONITORING_ROLE,), user_type="Website User")
		member = make_user()
		tokens = {user.name: api_token(user.name) for user in (monitor, member)}
		frappe.db.commit()  # the web server is another process
		server = WebServer(frappe.local.site).start()
		try:
			url = f"{server.url}/api/method/verenigingen.utils.health.metrics"
			allowed = requests.get(url, headers={"Authorization": tokens[monitor.name]}, timeout=60)
			as_member = requests.get(url, headers={"Authorization": tokens[member.name]}, timeout=60)
			as_guest = requests.get(url, timeout=60)
			status = requests.get(f"{server.url}/api/method/verenigingen.utils.health.check", timeout=60)
		finally:
			server.stop()
		self.assertEqual(allowed.status_code, 200, allowed.text[:500])
		self.assertTrue(allowed.headers["Content-Type"].startswith("text/plain"))
		self.assertIn(("verenigingen_queue_redis_up", ()), samples(allowed.text))
		self.assertEqual((as_member.status_code, as_guest.status_code), (403, 403))
		self.assertEqual(set(status.json()["message"]), {"status", "timestamp"})


def api_token(user: str) -> str:
	"""Give the user an API key and secret; return the Authorization header value."""
	doc = frappe.get_doc("User", user)
	key, secret = frappe.generate_hash(length=15), frappe.generate_hash(length=15)
	doc.api_key, doc.api_secret = key, secret
	doc.save()
	return f"token {key}:{secret}"
