#!/usr/bin/env python3
"""Benchmark: N members through every stage on production-style workers, the cost per member of each.

    python3 benchmarks/scale.py --bench /opt/frappe-bench --site NEW_SITE --members 50000 [--workers 2]
        [--json 50000.json]
    python3 benchmarks/scale.py --compare 5000.json 50000.json

Runs on a new site (it refuses a site that holds members: the figures are an association's first
import). A generated Mijnrood export (``verenigingen.demo.mijnrood_export``: Dutch names drawn by
frequency, so namesakes are common; chapters; IBANs; contributions) goes through the app's real
paths, one stage after another:

1. import: ``bench import-mijnrood --create-accounts`` does it in the bench process (validate, then
   import); it queues the account run and the SEPA mandate run on `bulk`;
2. accounts and 3. mandates: --workers `bench worker --queue bulk` processes, started without `CI`
   (as in production; the flags they run with are printed), work off both runs, first in first out;
   every minute the benchmark does what the site's scheduler does (retry queues, recovery);
4. direct debit: one Direct Debit Batch filled with every member due and its pain.008 file made,
   as the form's buttons do (in this process, one transaction);
5. pages: the Bulk Operations Monitor's and the dashboard's data calls, 20 each, as a Verenigingen
   Administrator (not Administrator: the permission query conditions apply), with the run's
   trackers and requests in the database.

Prints per stage: wall ms per member, CPU ms per member (this process or the workers and their
work horses) and MariaDB CPU ms per member; for the bulk stages the rate in the first and the last
tenth of the run and the workers' RSS over the run; the pages' p50/p95. ``--compare`` puts two
runs side by side: flat cost means the large run's wall and CPU ms per member within 20 % of the
small run's; MariaDB's CPU per member is shown and named where it grows.
Absolute times move about 2x between machines of one kind: compare runs of the same machine. It
refuses to start while another site's jobs are on `bulk`, and marks a stage FOREIGN JOBS IN THE
WINDOW when one appears during it.
Not part of CI: it writes tens of thousands of members, Users and mandates into the site.
"""

import json
import os
import sys
import tempfile
import threading
import time

from bench_env import bench_arguments, reexec_in_bench
from bulk_accounts import bulk_job_ids, cpu_seconds, family_rss, mariadb_processes
from monitoring_pages import seconds

FLAT_WITHIN = 0.20
PAGE_P95_TARGET_S = 1.0
PAGE_CALLS = 20
STAFF_USER = "scale-benchmark-staff@example.nl"
SEED = 4242


def parse_args():
	parser = bench_arguments(__doc__.splitlines()[0])
	parser.add_argument("--workers", type=int, default=2)
	parser.add_argument("--json", help="write the figures to this file (for --compare)")
	parser.add_argument("--compare", nargs=2, metavar=("SMALL", "LARGE"), help="compare two runs' JSON files")
	parser.add_argument("--timeout", type=float, default=4 * 3600, help="seconds to wait for the bulk runs")
	return parser.parse_args()


class Sampler(threading.Thread):
	"""Every second: the bulk workers' RSS (largest process of each worker's family)."""

	def __init__(self, pids):
		super().__init__(daemon=True)
		import psutil

		self.processes = [psutil.Process(pid) for pid in pids]
		self.samples = []  # (monotonic time, MB)
		self.running = True

	def run(self):
		while self.running:
			largest = max((rss for parent in self.processes for rss in family_rss(parent)), default=0)
			self.samples.append((time.monotonic(), largest / 2**20))
			time.sleep(1)

	def peak_between(self, start: float, end: float) -> float | None:
		values = [mb for t, mb in self.samples if start <= t <= end]
		return max(values) if values else None


class Meter:
	"""Wall, CPU (of the given processes) and MariaDB CPU between start() and stop()."""

	def __init__(self, processes):
		self.processes, self.databases = processes, mariadb_processes()

	def start(self):
		self.wall, self.cpu, self.db = time.monotonic(), cpu_seconds(self.processes), cpu_seconds(self.databases)
		return self

	def stop(self, members: int) -> dict:
		n = max(members, 1)
		return {"members": members, "wall_s": time.monotonic() - self.wall,
			"wall_ms": 1000 * (time.monotonic() - self.wall) / n,
			"cpu_ms": 1000 * (cpu_seconds(self.processes) - self.cpu) / n,
			"db_cpu_ms": 1000 * (cpu_seconds(self.databases) - self.db) / n if self.databases else None}


def prepare_site() -> None:
	import frappe

	from verenigingen.demo import site

	if frappe.db.count("Member"):
		raise SystemExit(f"REFUSING: {frappe.local.site} already holds {frappe.db.count('Member')} members; "
			"use a new site (the figures are an association's first import)")
	site.complete_setup_wizard()
	site.configure_settings()
	settings = frappe.get_doc("Verenigingen Settings")
	settings.max_import_file_size_mb = max(settings.max_import_file_size_mb or 20, 200)
	settings.save()
	site.record_activity()
	staff_user()  # before the run: Frappe throttles a User insert after 60 in a minute
	frappe.db.commit()


def stage_import(members: int) -> tuple[dict, str]:
	"""Validate and import the generated export in this process, as ``bench import-mijnrood`` does."""
	import frappe
	import psutil

	from verenigingen.core import import_status
	from verenigingen.demo.mijnrood_export import export_bytes
	from verenigingen.member_import import DOCTYPE
	from verenigingen.member_import.cli import create_import
	from verenigingen.member_import.importer import run_import
	from verenigingen.member_import.runs import begin_run
	from verenigingen.member_import.validation import run_validation

	data, _name = export_bytes("xlsx", count=members, seed=SEED, defects=False)
	print(f"export: {members} members, {len(data) / 2**20:.1f} MB XLSX", flush=True)
	meter = Meter([psutil.Process()]).start()
	name = create_import(data, f"Export Ledendatabase scale-{members}.xlsx", True, False)
	run_validation(name, begin_run(name, import_status.VALIDATING))
	run_import(name, begin_run(name, import_status.IMPORTING))
	doc = frappe.get_doc(DOCTYPE, name)
	figures = meter.stop(members)
	figures.update(status=doc.status, created=doc.created_count, errors=doc.error_count, skipped=doc.skipped_count)
	return figures, name


def bulk_runs(import_name: str) -> dict:
	import frappe

	return {row.operation_type: row.name for row in frappe.get_all(
		"Bulk Operation Tracker", filters={"source_import": import_name}, fields=["name", "operation_type"])}


def stage_bulk_runs(import_name: str, workers, timeout: float) -> dict:
	"""Let the workers do the import's runs; each run's figures, measured from its first to last member."""
	import frappe
	import psutil

	from verenigingen.core.bulk_progress import FINISHED_STATUSES
	from verenigingen.utils.bulk_retry_processor import process_retry_queues

	runs = bulk_runs(import_name)
	processes = [psutil.Process(p.pid) for p in workers.processes]
	sampler = Sampler([p.pid for p in processes])
	sampler.start()
	meters, progress, finished, foreign = {}, {name: [] for name in runs.values()}, {}, set()
	deadline, next_tick = time.monotonic() + timeout, time.monotonic() + 60
	try:
		while len(finished) < len(runs):
			if time.monotonic() > deadline:
				raise SystemExit(f"the runs did not finish in {timeout:.0f} s: {runs}")
			if time.monotonic() >= next_tick:  # what the site's scheduler does every minute
				process_retry_queues()
				frappe.db.commit()
				next_tick += 60
			frappe.db.rollback()  # see the workers' commits
			foreign |= other_sites_jobs()
			for operation, tracker in runs.items():
				if tracker in finished:
					continue
				row = frappe.db.get_value("Bulk Operation Tracker", tracker,
					["status", "processed", "total", "successful", "failed", "started_at"], as_dict=True)
				now = time.monotonic()
				if row.started_at and tracker not in meters:
					meters[tracker] = Meter(processes).start()
				progress[tracker].append((now, row.processed or 0))
				if row.status in FINISHED_STATUSES:
					meter = meters.get(tracker) or Meter(processes).start()
					figures = meter.stop(row.total)
					figures.update(status=row.status, successful=row.successful, failed=row.failed,
						**slices(progress[tracker], row.total, meter.wall), rss=rss_figures(sampler, progress[tracker]),
						progress=[(round(t - meter.wall, 1), n) for t, n in progress[tracker] if t >= meter.wall])
					finished[tracker] = (operation, figures)
					print(f"{operation}: {row.status}, {row.successful}/{row.total} in {figures['wall_s']:.0f} s", flush=True)
			time.sleep(1)
	finally:
		sampler.running = False
	result = dict(finished.values())
	for figures in result.values():
		figures["foreign_jobs"] = sorted(foreign)
	return result


def other_sites_jobs() -> set[str]:
	"""Jobs on `bulk` that are not this site's: workers serve every site of the bench."""
	import frappe

	return {job_id for job_id in bulk_job_ids() if not job_id.startswith(f"{frappe.local.site}::")}


def slices(samples: list, total: int, started: float) -> dict:
	"""Members per second over the first and the last tenth of the run, from its start (progress samples)."""
	after = [(t, n) for t, n in samples if t >= started]
	first = next(((t, n) for t, n in after if n >= total / 10), None)
	before_last = [(t, n) for t, n in after if n <= total * 9 / 10]
	end = after[-1] if after else None
	first_rate = first[1] / (first[0] - started) if first and first[0] > started else None
	last_rate = None
	if end and before_last and end[0] > before_last[-1][0]:
		last_rate = (end[1] - before_last[-1][1]) / (end[0] - before_last[-1][0])
	return {"first_tenth_per_s": first_rate, "last_tenth_per_s": last_rate}


def rss_figures(sampler: Sampler, samples: list) -> dict:
	if len(samples) < 2:
		return {}
	start, end = samples[0][0], samples[-1][0]
	span = end - start
	return {"first_tenth_mb": sampler.peak_between(start, start + span / 10),
		"last_tenth_mb": sampler.peak_between(end - span / 10, end)}


def stage_direct_debit() -> dict:
	"""One Direct Debit Batch of every member due, filled and its pain.008 made, as the form's buttons do."""
	import frappe
	import psutil

	from verenigingen.demo.site import collection_date
	from verenigingen.sepa import BATCH, collections

	meter = Meter([psutil.Process()]).start()
	batch = frappe.get_doc({"doctype": BATCH, "collection_date": collection_date(),
		"description": "Contributie (scale benchmark)"}).insert()
	preview = collections.fill_batch(batch.name)
	collections.generate_file(batch.name)
	frappe.db.commit()
	figures = meter.stop(preview["count"])
	figures.update(batch=batch.name, entries=preview["count"], control_sum=str(preview["control_sum"]))
	return figures


def staff_user() -> str:
	"""A Verenigingen Administrator (a System User without System Manager), made once."""
	import frappe

	from verenigingen.permissions import ADMINISTRATOR_ROLE

	if not frappe.db.exists("User", STAFF_USER):
		user = frappe.new_doc("User")
		user.update({"email": STAFF_USER, "first_name": "Schaal", "last_name": "Beheerder", "send_welcome_email": 0})
		user.append("roles", {"role": ADMINISTRATOR_ROLE})
		user.insert()
		frappe.db.commit()
	return STAFF_USER


def stage_pages() -> dict:
	"""p50/p95 of the monitor's and the dashboard's data calls, as a staff user."""
	import frappe
	from frappe.utils import add_days, today

	from verenigingen.core.performance import percentile
	from verenigingen.utils import bulk_operations_monitor
	from verenigingen.verenigingen.report.bulk_operations_performance_report import (
		bulk_operations_performance_report as report,
	)
	from verenigingen.www import monitoring_dashboard

	filters = {"from_date": add_days(today(), -30), "to_date": today()}
	calls = {"get_monitor_data": bulk_operations_monitor.get_monitor_data,
		"get_system_metrics": monitoring_dashboard.get_system_metrics,
		"performance_report": lambda: report.execute(filters)}
	benchmark_user = frappe.session.user
	frappe.set_user(staff_user())
	figures = {}
	try:
		for name, call in calls.items():
			timings = seconds(call, PAGE_CALLS)
			figures[name] = {"p50_ms": 1000 * percentile(timings, 0.5), "p95_ms": 1000 * percentile(timings, 0.95)}
	finally:
		frappe.set_user(benchmark_user)
	figures["requests"] = frappe.db.count("Account Creation Request")
	figures["trackers"] = frappe.db.count("Bulk Operation Tracker")
	return figures


def worker_flags() -> dict:
	import frappe

	path = os.path.join(tempfile.mkdtemp(prefix="verenigingen-scale-"), "flags.json")
	frappe.enqueue("verenigingen.tests.workers.record_worker_flags", queue="bulk", at_front=True, path=path)
	deadline = time.monotonic() + 60
	while not os.path.exists(path) and time.monotonic() < deadline:
		time.sleep(0.2)
	if not os.path.exists(path):
		return {"in_test": "unknown", "CI": "unknown"}
	time.sleep(0.2)
	with open(path, encoding="utf-8") as file:
		return json.load(file)


def fmt(value, digits=1) -> str:
	return "unknown" if value is None else f"{value:.{digits}f}"


def print_run(result: dict) -> None:
	print(f"\n== {result['members']} members on {result['site']} (Frappe {result['frappe']}, "
		f"{result['workers']} bulk workers, workers' in_test {result['worker_flags'].get('in_test')}, "
		f"CI in their environment {result['worker_flags'].get('CI')})")
	for stage, figures in result["stages"].items():
		print(f"{stage:10} {figures['members']:>7} members  wall {fmt(figures['wall_ms'], 2):>8} ms/member  "
			f"CPU {fmt(figures['cpu_ms'], 2):>8} ms/member  MariaDB {fmt(figures['db_cpu_ms'], 2):>7} ms/member  "
			f"({figures['wall_s']:.0f} s)")
		if figures.get("foreign_jobs"):
			print(f"{'':10} FOREIGN JOBS IN THE WINDOW: {figures['foreign_jobs'][:3]}: the figures are not its own")
		if "first_tenth_per_s" in figures:
			rss = figures.get("rss", {})
			print(f"{'':10} first tenth {fmt(figures['first_tenth_per_s'])}/s, last tenth "
				f"{fmt(figures['last_tenth_per_s'])}/s; worker RSS peak first tenth {fmt(rss.get('first_tenth_mb'))} MB,"
				f" last tenth {fmt(rss.get('last_tenth_mb'))} MB; {figures['successful']} ok, {figures['failed']} failed")
	pages = result["pages"]
	print(f"pages      with {pages['requests']} account requests and {pages['trackers']} trackers in the database:")
	for name in ("get_monitor_data", "get_system_metrics", "performance_report"):
		p95 = pages[name]["p95_ms"]
		verdict = "ok" if p95 < PAGE_P95_TARGET_S * 1000 else f"OVER {PAGE_P95_TARGET_S:.0f} s"
		print(f"{'':10} {name:20} p50 {pages[name]['p50_ms']:7.1f} ms  p95 {p95:7.1f} ms  {verdict}")


def compare(small_path: str, large_path: str) -> int:
	with open(small_path, encoding="utf-8") as f:
		small = json.load(f)
	with open(large_path, encoding="utf-8") as f:
		large = json.load(f)
	print_run(small)
	print_run(large)
	print(f"\n== cost per member at {large['members']} against {small['members']} (flat: within {FLAT_WITHIN:.0%})")
	flat, database_grows = True, []
	for stage, figures in large["stages"].items():
		base = small["stages"].get(stage)
		if not base:
			continue
		cells = []
		for key in ("wall_ms", "cpu_ms", "db_cpu_ms"):
			if figures.get(key) is None or not base.get(key):
				cells.append(f"{key} unknown")
				continue
			ratio = figures[key] / base[key]
			ok = ratio <= 1 + FLAT_WITHIN
			if key == "db_cpu_ms":
				database_grows += [] if ok else [f"{stage} x{ratio:.2f}"]
			else:
				flat &= ok
			cells.append(f"{key} x{ratio:.2f}{'' if ok else ' GROWS'}")
		print(f"{stage:10} " + "  ".join(cells))
	own = not any(figures.get("foreign_jobs") for run in (small, large) for figures in run["stages"].values())
	flat &= own
	pages_ok = all(large["pages"][n]["p95_ms"] < PAGE_P95_TARGET_S * 1000
		for n in ("get_monitor_data", "get_system_metrics", "performance_report"))
	# The cost judged is the member's wall time and the workers' CPU; MariaDB's share is shown, and
	# named when it grows, as the place to look next.
	print("flat cost (wall and CPU per member): " + ("met" if flat else "NOT MET") + f"; pages p95 < "
		f"{PAGE_P95_TARGET_S:.0f} s: " + ("met" if pages_ok else "NOT MET")
		+ (f"; MariaDB CPU per member grows: {', '.join(database_grows)}" if database_grows else "")
		+ ("" if own else "; FOREIGN JOBS IN A WINDOW: not its own figures"))
	return 0 if flat and pages_ok else 1


def main():
	args = parse_args()
	if args.compare:
		sys.exit(compare(*args.compare))
	reexec_in_bench(args.bench, __file__)
	import frappe

	from verenigingen.tests.workers import BulkWorkers, production_environment

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()  # as Administrator, like `bench execute`: the bench owner runs the benchmark
	prepare_site()
	result = {"site": args.site, "members": args.members, "workers": args.workers, "frappe": frappe.__version__,
		"stages": {}}
	if other_sites_jobs():
		raise SystemExit(f"REFUSING TO TIME: other sites' jobs are on the bulk queue: {sorted(other_sites_jobs())[:3]}")
	result["stages"]["import"], import_name = stage_import(args.members)
	print(f"import: {result['stages']['import']}", flush=True)
	workers = BulkWorkers(args.workers, env=production_environment()).start()
	try:
		runs = stage_bulk_runs(import_name, workers, args.timeout)
		result["worker_flags"] = worker_flags()  # asked afterwards: a job queued now would wait behind the runs
	finally:
		workers.stop()
	result["stages"]["accounts"] = runs["Account Creation"]
	result["stages"]["mandates"] = runs["Mandate Creation"]
	result["stages"]["direct debit"] = stage_direct_debit()
	result["pages"] = stage_pages()
	print_run(result)
	if args.json:
		with open(args.json, "w", encoding="utf-8") as f:
			json.dump(result, f, indent=1, default=str)
	frappe.destroy()


if __name__ == "__main__":
	main()
