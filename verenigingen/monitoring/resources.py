"""Machine and service figures with psutil, Redis and the database; what cannot be read is None.

CPU use needs two samples. The previous call's sample is kept in the cache, so a call does not
block; when there is none usable (the first call, or after a long pause) the call takes a second
sample CPU_SECOND_SAMPLE_SECONDS after the first, so the first page load shows a real figure
(``psutil.cpu_percent(interval=None)`` would return a meaningless 0.0 on a first call). A call
within a second of the kept sample repeats the figure kept with it.
"""

import os
import socket
import time

import frappe
import psutil
from frappe.utils import get_bench_path
from frappe.utils.background_jobs import get_redis_conn
from rq import Worker

from verenigingen.core.system_figures import CpuSample, cpu_percent_between, too_soon_to_measure, usable_pair

CPU_SAMPLE_KEY = "verenigingen:monitoring:cpu_sample"
# Without a usable earlier sample, the call waits this long for a second one (first load only).
CPU_SECOND_SAMPLE_SECONDS = 0.5


class ResourceMonitor:
	"""Collects figures; each reader returns None when its figure cannot be read."""

	def collect_system_metrics(self) -> dict:
		started = time.monotonic()
		cpu = self.read(self.cpu_figures) or {}
		figures = {
			"cpu_percent": cpu.get("percent"),
			"cpu_window_seconds": cpu.get("window_seconds"),
			"cpu_count": psutil.cpu_count(),
			"load_average": self.read(lambda: [round(value, 2) for value in os.getloadavg()]),
			"memory": self.read(self.memory),
			"disk": self.read(self.bench_disk),
			"workers": self.read(self.worker_processes),
			"redis_queue_memory_bytes": self.read(lambda: get_redis_conn().info("memory")["used_memory"]),
			"redis_cache_memory_bytes": self.read(lambda: frappe.cache.info("memory")["used_memory"]),
			"database_size_bytes": self.read(self.database_size),
		}
		figures["collection_seconds"] = round(time.monotonic() - started, 3)
		return figures

	@staticmethod
	def read(reader):
		"""The figure, or None (shown as unknown) when it cannot be read here."""
		try:
			return reader()
		except Exception:  # noqa: BLE001 - any unreadable figure is unknown, never 0 and never an error
			return None

	@staticmethod
	def cpu_figures() -> dict:
		"""Busy CPU share since the previous collection, or over a short second sample when there is no
		usable previous one; and the seconds it covers."""
		current = ResourceMonitor.cpu_sample()
		# [taken_at, busy, total] of the kept sample, then the figure measured up to it
		previous = frappe.cache.get_value(CPU_SAMPLE_KEY)
		earlier = CpuSample(*previous[:3]) if previous else None
		if too_soon_to_measure(earlier, current) and len(previous) == 5 and previous[3] is not None:
			return {"percent": previous[3], "window_seconds": previous[4]}
		if not usable_pair(earlier, current):
			time.sleep(CPU_SECOND_SAMPLE_SECONDS)
			earlier, current = current, ResourceMonitor.cpu_sample()
		figure = {
			"percent": cpu_percent_between(earlier, current),
			"window_seconds": round(current.taken_at - earlier.taken_at, 1),
		}
		frappe.cache.set_value(
			CPU_SAMPLE_KEY, [current.taken_at, current.busy, current.total, figure["percent"], figure["window_seconds"]]
		)
		return figure

	@staticmethod
	def cpu_sample() -> CpuSample:
		times = psutil.cpu_times()
		busy = sum(times) - times.idle - getattr(times, "iowait", 0.0)
		return CpuSample(time.time(), busy, sum(times))

	@staticmethod
	def memory() -> dict:
		memory = psutil.virtual_memory()
		return {
			"total_bytes": memory.total,
			"available_bytes": memory.available,
			"used_percent": memory.percent,
		}

	@staticmethod
	def bench_disk() -> dict:
		path = get_bench_path()
		usage = psutil.disk_usage(path)
		return {
			"path": path,
			"total_bytes": usage.total,
			"free_bytes": usage.free,
			"used_percent": usage.percent,
		}

	@staticmethod
	def worker_processes() -> list[dict]:
		"""RSS of each RQ worker registered in Redis (and of its work horse, while it runs a job)."""
		return [ResourceMonitor.worker_process(worker) for worker in Worker.all(connection=get_redis_conn())]

	@staticmethod
	def worker_process(worker: Worker) -> dict:
		row = {
			"name": worker.name,
			"pid": worker.pid,
			"queues": worker.queue_names(),
			"rss_bytes": None,
			"work_horse_rss_bytes": None,
		}
		if worker.hostname != socket.gethostname() or not worker.pid:
			return row  # another machine: its processes cannot be read from here
		try:
			process = psutil.Process(worker.pid)
			row["rss_bytes"] = process.memory_info().rss
			children = process.children()
			row["work_horse_rss_bytes"] = (
				sum(child.memory_info().rss for child in children) if children else None
			)
		except psutil.Error:
			pass
		return row

	@staticmethod
	def database_size() -> int:
		size = frappe.db.sql(
			"""select sum(data_length + index_length) from information_schema.tables
			where table_schema = %(schema)s""",
			{"schema": frappe.conf.db_name},
		)[0][0]
		if size is None:
			raise ValueError("no tables visible")
		return int(size)
