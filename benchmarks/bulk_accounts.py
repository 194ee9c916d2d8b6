#!/usr/bin/env python3
"""Benchmark: bulk account creation on real, production-style `bench worker --queue bulk` processes.

    python3 benchmarks/bulk_accounts.py --bench /opt/frappe-bench --site SITE [--members 4700]
        [--workers 2] [--names both|namesakes|unique] [--profile 200] [--raw-loop 1000]
        [--allow-foreign-jobs]

Headline: the ratio of the bulk path's accounts/s (--workers bench workers) to the one-process
raw ORM loop's (frappe.new_doc("User").insert() with the same side-effect handling, in this
process), both measured in the same run, on the same site, with the same flags (target >= 3.0:
two cores used perfectly give 2.0). Absolute times move about 2x between machines of one kind,
so they are printed for information only.

Only its own work is timed: workers serve every site of the bench, so before its window the
benchmark waits (up to --wait-for-quiet seconds) until the `bulk` queue holds no queued or started
job, and refuses to time while it does; during the window it watches the queue, and any job that
is not one of its run's marks the figure FOREIGN JOBS IN THE WINDOW (--allow-foreign-jobs times
anyway, marked the same way).

The workers run as `bench worker` does in production: without `CI` in their environment
(Frappe's execute_job sets frappe.flags.in_test when CI is set, which switches off side effects
production has); the flags they ran with are printed. Members get realistic Dutch names (the 200
most common first names and surnames, so many share a full name) and, for comparison, names of
their own; each set runs the bulk path (queue_bulk_account_creation_for_members) and waits for
the tracker. Prints wall time, accounts/s, the CPU seconds per account of the workers and of
MariaDB, the workers' peak RSS growth and jobs left on `default`. Then a profiled in-process run
of --profile accounts through the same batch job body gives the per-account cost split (Python,
SQL, Redis, other waiting). Not part of CI: it writes thousands of Users into the site; a new site
gives the figures an association would see.
"""

import cProfile
import json
import os
import pstats
import tempfile
import threading
import time

from bench_env import bench_arguments, reexec_in_bench
from dutch_names import namesake_people, share_of_namesakes, unique_people

TARGETS = {"ratio": 3.0, "rss_growth_mb": 50, "default_jobs_per_member": 0.1}
FINISHED = ("Completed", "Completed with Errors", "Failed", "Cancelled")


def parse_args():
	parser = bench_arguments(__doc__.splitlines()[0])
	parser.add_argument("--workers", type=int, default=2)
	parser.add_argument("--names", choices=("both", "namesakes", "unique"), default="both")
	parser.add_argument("--profile", type=int, default=200, help="accounts in the profiled in-process run (0: none)")
	parser.add_argument("--raw-loop", type=int, default=1000, help="Users in the raw ORM loop (the ratio's base)")
	parser.add_argument("--wait-for-quiet", type=float, default=300, help="seconds to wait for other jobs to end")
	parser.add_argument("--allow-foreign-jobs", action="store_true", help="time anyway, marked")
	return parser.parse_args()


def bulk_job_ids() -> set[str]:
	"""Every job queued or started on the bench's `bulk` queue (all sites)."""
	from frappe.utils.background_jobs import get_queue
	from rq.registry import StartedJobRegistry

	queue = get_queue("bulk")
	started = queue.connection.zrange(StartedJobRegistry(queue=queue).key, 0, -1)
	return set(queue.get_job_ids()) | {job_id.decode() for job_id in started}


def foreign(job_ids, tracker: str | None) -> set[str]:
	"""The jobs that are not this run's batches (another site's, another run's, anything else)."""
	import frappe

	from verenigingen.core.batching import tracker_of_batch_job

	prefix = f"{frappe.local.site}::"
	return {job_id for job_id in job_ids
		if not (tracker and job_id.startswith(prefix) and tracker_of_batch_job(job_id.removeprefix(prefix)) == tracker)}


def wait_for_quiet_queue(seconds: float, allow: bool) -> set[str]:
	"""Wait until no job is queued or started on `bulk`; refuse to time (exit) if that never comes."""
	deadline = time.monotonic() + seconds
	while (jobs := bulk_job_ids()) and time.monotonic() < deadline:
		time.sleep(1)
	if jobs and not allow:
		raise SystemExit(f"REFUSING TO TIME: {len(jobs)} other jobs are queued or started on the bulk queue "
			f"(e.g. {sorted(jobs)[:3]}); workers serve every site of the bench. Wait, or --allow-foreign-jobs.")
	return jobs


def make_members(prefix: str, people: list[tuple[str, str, str]]) -> list[str]:
	"""Insert benchmark members with a multi-row INSERT (a fixture, not the code measured)."""
	import frappe
	from frappe.utils import now_datetime

	from verenigingen.core.names import compose_full_name

	now, rows = now_datetime(), []
	for i, (first, infix, last) in enumerate(people):
		member_id = f"{prefix}{i:05d}"
		rows.append((member_id, member_id, first, infix, last, compose_full_name(first, infix, last),
			f"{member_id.lower()}@example.nl", "Active", "NL", now, now, "Administrator", "Administrator"))
	fields = ("name", "member_id", "first_name", "tussenvoegsel", "last_name", "full_name", "email", "status",
		"country", "creation", "modified", "owner", "modified_by")
	frappe.db.bulk_insert("Member", fields, rows, chunk_size=1000)
	frappe.db.commit()
	return [row[0] for row in rows]


class ProcessSampler(threading.Thread):
	"""Peak RSS growth of the workers and their work horses, sampled every 200 ms."""

	def __init__(self, pids):
		super().__init__(daemon=True)
		import psutil

		self.processes = [psutil.Process(pid) for pid in pids]
		self.baseline = {p.pid: p.memory_info().rss for p in self.processes}
		self.peak_growth = 0
		self.running = True

	def run(self):
		while self.running:
			for parent in self.processes:
				for rss in family_rss(parent):
					self.peak_growth = max(self.peak_growth, rss - self.baseline[parent.pid])
			time.sleep(0.2)


def family_rss(parent) -> list[int]:
	"""The RSS of a worker and of its work horses, those still alive."""
	import psutil

	try:
		family = [parent, *parent.children(recursive=True)]
	except psutil.NoSuchProcess:
		return []
	sizes = []
	for proc in family:
		try:
			sizes.append(proc.memory_info().rss)
		except psutil.NoSuchProcess:
			continue
	return sizes


def cpu_seconds(processes) -> float:
	"""User+system CPU of processes and their reaped children (the work horses)."""
	total = 0.0
	for proc in processes:
		times = proc.cpu_times()
		total += times.user + times.system + times.children_user + times.children_system
	return total


def mariadb_processes():
	import psutil

	return [p for p in psutil.process_iter(["name"]) if p.info["name"] in ("mariadbd", "mysqld")]


def worker_flags(bulk_workers) -> dict:
	"""Ask a worker which flags its jobs run with."""
	import frappe

	path = os.path.join(tempfile.mkdtemp(prefix="verenigingen-bench-"), "flags.json")
	frappe.enqueue("verenigingen.tests.workers.record_worker_flags", queue="bulk", path=path)
	deadline = time.monotonic() + 60
	while not os.path.exists(path) and time.monotonic() < deadline:
		time.sleep(0.2)
	if not os.path.exists(path):
		return {"in_test": "unknown", "CI": "unknown"}
	time.sleep(0.2)  # the job writes the file in one go; let it close
	with open(path, encoding="utf-8") as file:
		return json.load(file)


def run_bulk(names: list[str], bulk_workers, foreign_before=()) -> dict:
	import frappe
	import psutil
	from frappe.utils.background_jobs import get_queue

	from verenigingen.account_creation.tracker import read_counts
	from verenigingen.utils.account_creation_manager import queue_bulk_account_creation_for_members
	from verenigingen.utils.bulk_retry_processor import process_retry_queues

	workers = [psutil.Process(p.pid) for p in bulk_workers.processes]
	databases = mariadb_processes()
	default_before = get_queue("default").count
	sampler = ProcessSampler([p.pid for p in workers])
	sampler.start()
	worker_cpu, db_cpu = cpu_seconds(workers), cpu_seconds(databases)
	started = time.monotonic()
	tracker = queue_bulk_account_creation_for_members(names)["tracker"]
	frappe.db.commit()
	seen_foreign = foreign(bulk_job_ids(), tracker) | set(foreign_before)
	next_scheduler_tick = time.monotonic() + 60
	while True:
		seen_foreign |= foreign(bulk_job_ids(), tracker)
		if time.monotonic() >= next_scheduler_tick:  # what the site scheduler does every minute
			process_retry_queues()
			frappe.db.commit()
			next_scheduler_tick += 60
		frappe.db.rollback()
		status = frappe.db.get_value("Bulk Operation Tracker", tracker, "status")
		if status in FINISHED:
			break
		time.sleep(0.5)
	wall = time.monotonic() - started
	sampler.running = False
	counts = read_counts(tracker)
	return {"tracker": tracker, "status": status, "wall_s": wall, "successful": counts.successful,
		"failed": counts.failed, "rate": counts.successful / wall, "rss_growth_mb": sampler.peak_growth / 2**20,
		"worker_cpu_ms": 1000 * (cpu_seconds(workers) - worker_cpu) / max(counts.processed, 1),
		"db_cpu_ms": 1000 * (cpu_seconds(databases) - db_cpu) / max(counts.processed, 1) if databases else None,
		"default_jobs": get_queue("default").count - default_before, "foreign_jobs": sorted(seen_foreign)}


def profile_accounts(names: list[str]) -> dict:
	"""The batch job body in this process under cProfile: where an account's time goes."""
	import frappe
	from frappe.utils.background_jobs import get_job

	from verenigingen.account_creation import REQUEST
	from verenigingen.core.batching import batch_job_id
	from verenigingen.utils.account_creation_manager import (
		process_bulk_account_creation_batch,
		queue_bulk_account_creation_for_members,
	)

	summary = queue_bulk_account_creation_for_members(names, batch_size=len(names))
	frappe.db.commit()
	get_job(batch_job_id(summary["tracker"], 1)).delete()  # run it here instead of on a worker
	requests = frappe.get_all(REQUEST, filters={"tracker": summary["tracker"]}, pluck="name", order_by="name")
	profiler = cProfile.Profile()
	cpu, started = time.process_time(), time.perf_counter()
	profiler.enable()
	process_bulk_account_creation_batch(summary["tracker"], 1, requests)
	profiler.disable()
	wall, cpu = time.perf_counter() - started, time.process_time() - cpu
	stats = pstats.Stats(profiler).stats
	sql_wait = cumulative(stats, "pymysql/connections.py", "_read_packet")
	redis_wait = cumulative(stats, "redis/connection.py", "read_response")
	n = len(requests)
	return {"accounts": n, "wall_ms": 1000 * wall / n, "python_cpu_ms": 1000 * cpu / n,
		"sql_wait_ms": 1000 * sql_wait / n, "redis_wait_ms": 1000 * redis_wait / n,
		"queries": cumulative_calls(stats, "frappe/database/database.py", "sql") / n,
		"other_wait_ms": 1000 * max(wall - cpu - sql_wait - redis_wait, 0) / n,
		"in_test": bool(frappe.flags.in_test)}


def cumulative(stats, file_suffix: str, function: str) -> float:
	return sum(row[3] for (file, _, name), row in stats.items() if file.endswith(file_suffix) and name == function)


def cumulative_calls(stats, file_suffix: str, function: str) -> int:
	return sum(row[1] for (file, _, name), row in stats.items() if file.endswith(file_suffix) and name == function)


def run_raw_loop(names: list[str]) -> dict:
	"""The raw loop: one process inserting Users through frappe.new_doc, committing every 50."""
	import frappe

	from verenigingen.account_creation.user_factory import quiet_user_side_effects

	members = frappe.get_all("Member", filters={"name": ("in", names)},
		fields=["email", "first_name", "tussenvoegsel", "last_name"], limit_page_length=0)
	started = time.monotonic()
	with quiet_user_side_effects():
		for i, member in enumerate(members, 1):
			user = frappe.new_doc("User")
			user.update({"email": member.email, "first_name": member.first_name, "middle_name": member.tussenvoegsel,
				"last_name": member.last_name, "user_type": "Website User", "send_welcome_email": 0,
				"role_profile_name": "Verenigingen Member"})
			user.append("roles", {"role": "Verenigingen Member"})
			user.insert()
			if i % 50 == 0:
				frappe.db.commit()
	frappe.db.commit()
	wall = time.monotonic() - started
	return {"wall_s": wall, "created": len(members), "rate": len(members) / wall, "in_test": bool(frappe.flags.in_test)}


def print_rows(rows) -> None:
	for label, value, note in rows:
		print(f"{label:40} {value!s:>12}  {note}", flush=True)


def report_bulk(label: str, n: int, share: float, bulk: dict) -> bool:
	per_member = bulk["default_jobs"] / n
	db_cpu = "unknown" if bulk["db_cpu_ms"] is None else f"{bulk['db_cpu_ms']:.1f}"
	own = not bulk["foreign_jobs"]
	print_rows([
		(f"{label}: members", n, f"{share:.0%} share a full name with another member"),
		(f"{label}: status", bulk["status"], f"{bulk['successful']} created, {bulk['failed']} failed"),
		(f"{label}: window", "own jobs only" if own else "FOREIGN JOBS IN THE WINDOW",
			"" if own else f"{len(bulk['foreign_jobs'])}: {bulk['foreign_jobs'][:3]}: the figures are not its own"),
		(f"{label}: wall time (s)", f"{bulk['wall_s']:.1f}", "for information (machines differ about 2x)"),
		(f"{label}: accounts/s", f"{bulk['rate']:.2f}", "for information"),
		(f"{label}: worker CPU per account (ms)", f"{bulk['worker_cpu_ms']:.1f}", "workers and work horses"),
		(f"{label}: MariaDB CPU per account (ms)", db_cpu, ""),
		(f"{label}: worker peak RSS growth (MB)", f"{bulk['rss_growth_mb']:.1f}", f"target <= {TARGETS['rss_growth_mb']}"),
		(f"{label}: jobs left on default", bulk["default_jobs"], f"{per_member:.3f}/member"),
	])
	return (own and bulk["failed"] == 0 and bulk["rss_growth_mb"] <= TARGETS["rss_growth_mb"]
		and per_member <= TARGETS["default_jobs_per_member"])


def report_ratio(bulk: dict, raw: dict, workers: int) -> bool:
	"""The headline: the bulk path against the one-process raw ORM loop of the same run."""
	ratio = bulk["rate"] / raw["rate"]
	own = not bulk["foreign_jobs"]
	print_rows([
		("raw ORM loop: accounts/s", f"{raw['rate']:.2f}",
			f"{raw['created']} Users in {raw['wall_s']:.1f} s, one process, in_test {raw['in_test']}"),
		(f"HEADLINE: bulk ({workers} workers) / raw loop", f"{ratio:.2f}",
			f"target >= {TARGETS['ratio']:.1f}: {'met' if ratio >= TARGETS['ratio'] else 'NOT MET'}"
			+ ("" if own else "; FOREIGN JOBS IN THE WINDOW: not its own figure")),
	])
	return own and ratio >= TARGETS["ratio"]


def other_bulk_workers(ours) -> int:
	"""Live workers serving `bulk` that this benchmark did not start (they would take its jobs too).

	A killed worker stays registered until its key expires (up to rq's worker TTL): not counted.
	"""
	import socket

	from frappe.utils.background_jobs import get_queue
	from rq import Worker

	from verenigingen.account_creation.jobs import process_alive

	mine = {p.pid for p in ours.processes}
	return sum(1 for worker in Worker.all(queue=get_queue("bulk"))
		if not (worker.hostname == socket.gethostname() and worker.pid in mine)
		and process_alive(worker.hostname, worker.pid) is not False)


def main():
	args = parse_args()
	reexec_in_bench(args.bench, __file__)
	import frappe

	from verenigingen.tests.workers import BulkWorkers, production_environment

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()  # as Administrator, like `bench execute`: a benchmark fixture run by the bench owner
	prefix = "B" + frappe.generate_hash(length=5).upper()
	sets = {"namesakes": namesake_people(args.members), "unique": unique_people(args.members, prefix)}
	chosen = ("namesakes", "unique") if args.names == "both" else (args.names,)
	bulk_workers = BulkWorkers(args.workers, env=production_environment()).start()
	met, results = True, {}
	try:
		time.sleep(4)  # let the workers import Frappe before the RSS baseline is taken
		flags = worker_flags(bulk_workers)
		print_rows([("Frappe", frappe.__version__, ""), ("bulk workers", args.workers, "bench worker --queue bulk"),
			("workers: frappe.flags.in_test", flags["in_test"], f"CI in environment: {flags['CI']}"),
			("benchmark process: in_test", bool(frappe.flags.in_test), f"CI in environment: {'CI' in os.environ}"),
			("other bulk workers on the bench", other_bulk_workers(bulk_workers), "should be 0"),
			("load average before", " ".join(f"{x:.2f}" for x in os.getloadavg()), "1, 5, 15 min")])
		for label in chosen:
			names = make_members(f"{prefix}{label[0].upper()}", sets[label])
			before = wait_for_quiet_queue(args.wait_for_quiet, args.allow_foreign_jobs)
			results[label] = run_bulk(names, bulk_workers, before)
			met &= report_bulk(label, args.members, share_of_namesakes(sets[label]), results[label])
	finally:
		bulk_workers.stop()
	if args.raw_loop:
		raw = run_raw_loop(make_members(prefix + "R", namesake_people(args.raw_loop, seed=11)))
		met &= report_ratio(results[chosen[0]], raw, args.workers)
	if args.profile:
		profile = profile_accounts(make_members(prefix + "P", namesake_people(args.profile, seed=7)))
		print_rows([
			("profile: accounts (in process)", profile["accounts"], f"frappe.flags.in_test: {profile['in_test']}"),
			("profile: wall per account (ms)", f"{profile['wall_ms']:.1f}", "under cProfile, which slows Python"),
			("profile: Python CPU per account (ms)", f"{profile['python_cpu_ms']:.1f}", ""),
			("profile: waiting for SQL (ms)", f"{profile['sql_wait_ms']:.1f}", f"{profile['queries']:.0f} queries"),
			("profile: waiting for Redis (ms)", f"{profile['redis_wait_ms']:.1f}", ""),
			("profile: other waiting (ms)", f"{profile['other_wait_ms']:.1f}", "locks, disk, scheduling"),
		])
	print("targets met" if met else "TARGETS NOT MET", flush=True)
	frappe.destroy()


if __name__ == "__main__":
	main()
