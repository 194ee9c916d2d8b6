#!/usr/bin/env python3
"""Benchmark: bulk account creation on real `bench worker --queue bulk` processes.

    python3 benchmarks/bulk_accounts.py --bench /opt/frappe-bench --site SITE [--members 4700]

Creates N members, runs the bulk path (queue_bulk_account_creation_for_members) with two
bulk workers and waits for the tracker to finish; then, in the same run, times the raw ORM
loop (frappe.new_doc("User").insert() in one process, with Frappe's User side effects handled
the same way: user_factory.quiet_user_side_effects) on a fresh set of members. Prints
accounts/s for both, their ratio, wall time, the workers' peak RSS growth and the jobs left on
the default queue. Not part of CI: it writes thousands of Users into the site; a new site
gives the figures an association would see.
"""

import threading
import time

from bench_env import bench_arguments, reexec_in_bench

TARGETS = {"wall_s": 300, "ratio": 0.8, "rss_growth_mb": 50, "default_jobs_per_member": 0.1}


def parse_args():
	parser = bench_arguments(__doc__.splitlines()[0])
	parser.add_argument("--orm-members", type=int, default=None, help="size of the raw ORM loop (default: --members)")
	parser.add_argument("--workers", type=int, default=2)
	return parser.parse_args()


def make_members(prefix: str, count: int) -> list[str]:
	"""Insert benchmark members with a multi-row INSERT (a fixture, not the code measured)."""
	import frappe
	from frappe.utils import now_datetime

	now, rows = now_datetime(), []
	for i in range(count):
		member_id = f"{prefix}{i:05d}"
		# Unique names, as in a real membership: Frappe names each Contact after its person.
		rows.append((member_id, member_id, "Bench", "van", f"Lid {member_id}", f"Bench van Lid {member_id}",
			f"bench.{member_id.lower()}@example.nl", "Active", "NL", now, now, "Administrator", "Administrator"))
	fields = ("name", "member_id", "first_name", "tussenvoegsel", "last_name", "full_name", "email", "status",
		"country", "creation", "modified", "owner", "modified_by")
	frappe.db.bulk_insert("Member", fields, rows, chunk_size=1000)
	frappe.db.commit()
	return [row[0] for row in rows]


class RssSampler(threading.Thread):
	"""Samples the RSS of the worker processes and their work horses every 200 ms."""

	def __init__(self, pids):
		super().__init__(daemon=True)
		import psutil

		self.processes = [psutil.Process(pid) for pid in pids]
		self.baseline = {p.pid: p.memory_info().rss for p in self.processes}
		self.peak_growth = 0
		self.running = True

	def run(self):
		import psutil

		while self.running:
			for parent in self.processes:
				try:
					family = [parent, *parent.children(recursive=True)]
				except psutil.NoSuchProcess:
					continue
				for proc in family:
					try:
						growth = proc.memory_info().rss - self.baseline[parent.pid]
					except psutil.NoSuchProcess:
						continue
					self.peak_growth = max(self.peak_growth, growth)
			time.sleep(0.2)


def run_bulk(names: list[str], workers: int) -> dict:
	import frappe
	from frappe.utils.background_jobs import get_queue

	from verenigingen.account_creation.tracker import read_counts
	from verenigingen.tests.workers import BulkWorkers
	from verenigingen.utils.account_creation_manager import queue_bulk_account_creation_for_members
	from verenigingen.utils.bulk_retry_processor import process_retry_queues

	default_before = get_queue("default").count
	bulk_workers = BulkWorkers(workers).start()
	time.sleep(4)  # let the workers import Frappe before the baseline is taken
	sampler = RssSampler([p.pid for p in bulk_workers.processes])
	sampler.start()
	started = time.monotonic()
	summary = queue_bulk_account_creation_for_members(names)
	frappe.db.commit()
	tracker = summary["tracker"]
	next_scheduler_tick = time.monotonic() + 60
	while True:
		if time.monotonic() >= next_scheduler_tick:  # what the site scheduler does every minute
			process_retry_queues()
			frappe.db.commit()
			next_scheduler_tick += 60
		frappe.db.rollback()
		status = frappe.db.get_value("Bulk Operation Tracker", tracker, "status")
		if status in ("Completed", "Completed with Errors", "Failed", "Cancelled"):
			break
		time.sleep(0.5)
	wall = time.monotonic() - started
	sampler.running = False
	bulk_workers.stop()
	counts = read_counts(tracker)
	return {"tracker": tracker, "status": status, "wall_s": wall, "successful": counts.successful,
		"failed": counts.failed, "rate": counts.successful / wall, "rss_growth_mb": sampler.peak_growth / 2**20,
		"default_jobs": get_queue("default").count - default_before}


def run_orm_loop(names: list[str]) -> dict:
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
	return {"wall_s": wall, "created": len(members), "rate": len(members) / wall}


def report(n: int, bulk: dict, orm: dict) -> None:
	import frappe

	ratio = bulk["rate"] / orm["rate"]
	per_member = bulk["default_jobs"] / n
	rows = [
		("Frappe", frappe.__version__, ""),
		("members", n, ""),
		("bulk: status", bulk["status"], f"{bulk['successful']} created, {bulk['failed']} failed"),
		("bulk: wall time (s)", f"{bulk['wall_s']:.1f}", f"target <= {TARGETS['wall_s']}"),
		("bulk: accounts/s", f"{bulk['rate']:.2f}", ""),
		("raw ORM loop: accounts/s", f"{orm['rate']:.2f}", f"{orm['created']} Users in {orm['wall_s']:.1f} s"),
		("ratio bulk / raw", f"{ratio:.2f}", f"target >= {TARGETS['ratio']}"),
		("worker peak RSS growth (MB)", f"{bulk['rss_growth_mb']:.1f}", f"target <= {TARGETS['rss_growth_mb']}"),
		("jobs left on default", bulk["default_jobs"], f"{per_member:.3f}/member, target <= {TARGETS['default_jobs_per_member']}"),
	]
	for label, value, note in rows:
		print(f"{label:32} {value!s:>12}  {note}")
	met = (bulk["wall_s"] <= TARGETS["wall_s"] * n / 4700 and ratio >= TARGETS["ratio"]
		and bulk["rss_growth_mb"] <= TARGETS["rss_growth_mb"] and per_member <= TARGETS["default_jobs_per_member"])
	print("targets met" if met and bulk["failed"] == 0 else "TARGETS NOT MET")


def main():
	args = parse_args()
	reexec_in_bench(args.bench, __file__)
	import frappe

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()  # as Administrator, like `bench execute`: a benchmark fixture run by the bench owner
	try:
		prefix = "B" + frappe.generate_hash(length=5).upper()
		bulk_names = make_members(prefix + "A", args.members)
		orm_names = make_members(prefix + "O", args.orm_members or args.members)
		bulk = run_bulk(bulk_names, args.workers)
		orm = run_orm_loop(orm_names)
		report(args.members, bulk, orm)
	finally:
		frappe.destroy()


if __name__ == "__main__":
	main()
