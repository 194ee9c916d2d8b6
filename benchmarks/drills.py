#!/usr/bin/env python3
"""Drills: Redis flushed, MariaDB restarted and workers killed in the middle of a bulk run.

    python3 benchmarks/drills.py --bench /opt/frappe-bench --site SITE [--members 500]
        [--drills redis,mariadb,kills]

Each drill runs the bulk account path for --members Dutch-named members on two
production-style `bench worker --queue bulk` processes (no CI in their environment). The
incident lands mid-run by construction: two members are held locked from a second database
connection, so both workers stop at a known request, and the incident happens while they wait.
The drill then acts as the site scheduler does (process_retry_queues once a minute, nothing by
hand) until the run finishes, and checks the invariants: the tracker Completed with exact
counts, and exactly one User and one Contact per member. Prints, per drill, the time from the
incident to the first account made after it and to the run's end.

- redis: FLUSHALL while the workers wait (every queued job and job hash is gone).
- mariadb: MariaDB stopped and started again while the workers wait (needs root; it uses the
  start-stop-daemon commands the machine's MariaDB was started with).
- kills: both workers SIGKILLed three times during one run, each time while they wait at a
  held member; restarted after each kill.

Not part of CI: restarting the database under a test runner would take its connection too,
and each drill waits for the scheduler's recovery (a 90 s grace, ticks every 60 s).
"""

import subprocess
import time

from bench_env import bench_arguments, reexec_in_bench
from bulk_accounts import FINISHED, make_members
from dutch_names import namesake_people

TICK_SECONDS = 60
BATCH_SIZE = 50
MARIADB = "/usr/sbin/mariadbd"


def parse_args():
	parser = bench_arguments(__doc__.splitlines()[0])
	parser.set_defaults(members=500)
	parser.add_argument("--drills", default="redis,mariadb,kills")
	return parser.parse_args()


class Run:
	"""One bulk run under drill: its members, tracker, workers and the scheduler's ticks."""

	def __init__(self, label: str, members: int):
		import frappe

		from verenigingen.tests.workers import BulkWorkers, production_environment

		self.label = label
		prefix = "D" + frappe.generate_hash(length=4).upper() + label[0].upper()
		self.names = make_members(prefix, namesake_people(members, seed=sum(map(ord, label))))
		self.workers = BulkWorkers(2, env=production_environment()).start()
		self.tracker = None
		self.next_tick = time.monotonic() + TICK_SECONDS

	def member(self, batch: int, position: int) -> str:
		return self.names[(batch - 1) * BATCH_SIZE + position]

	def queue(self) -> None:
		import frappe

		from verenigingen.utils.account_creation_manager import queue_bulk_account_creation_for_members

		self.tracker = queue_bulk_account_creation_for_members(self.names, batch_size=BATCH_SIZE)["tracker"]
		frappe.db.commit()

	def counts(self) -> dict:
		import frappe

		frappe.db.rollback()  # see the workers' commits
		return frappe.db.get_value("Bulk Operation Tracker", self.tracker,
			["status", "total", "processed", "successful", "failed", "waiting_for_retry"], as_dict=True)

	def successful_now(self) -> int:
		import frappe

		frappe.db.rollback()
		return frappe.db.count("Account Creation Request", {"tracker": self.tracker, "status": "Completed"})

	def tick(self) -> None:
		"""What the site scheduler does every minute."""
		import frappe

		from verenigingen.utils.bulk_retry_processor import process_retry_queues

		if time.monotonic() >= self.next_tick:
			process_retry_queues()
			frappe.db.commit()
			self.next_tick += TICK_SECONDS

	def until_finished(self, incident_at: float, done_at_incident: int, timeout: float = 1800) -> dict:
		first_progress = None
		while time.monotonic() - incident_at < timeout:
			self.tick()
			if first_progress is None and self.successful_now() > done_at_incident:
				first_progress = time.monotonic() - incident_at
			counts = self.counts()
			if counts.status in FINISHED and not counts.waiting_for_retry:
				return {"first_progress_s": first_progress, "finished_s": time.monotonic() - incident_at, **counts}
			time.sleep(0.5)
		raise SystemExit(f"{self.label}: the run did not finish in {timeout:.0f} s: {self.counts()}")

	def hold(self, members: list[str]):
		"""Lock the members from a connection of its own; the workers stop at them."""
		from verenigingen.tests.blocking import connect_as_site

		connection = connect_as_site()
		with connection.cursor() as cursor:
			for name in members:
				cursor.execute("select name from `tabMember` where name = %s for update", (name,))
		return connection

	def wait_until_held(self, members: list[str]) -> None:
		from verenigingen.tests.blocking import requests_of_members, wait_until_processing

		wait_until_processing(requests_of_members(members), timeout=600)

	def check_invariants(self) -> list[str]:
		import frappe

		problems = []
		counts = self.counts()
		n = len(self.names)
		if (counts.status, counts.total, counts.processed, counts.successful, counts.failed) != ("Completed", n, n, n, 0):
			problems.append(f"tracker {counts}")
		rows = frappe.get_all("Member", filters={"name": ("in", self.names)}, fields=["email", "user"],
			limit_page_length=0)
		emails = [row.email.lower() for row in rows]
		users = frappe.db.count("User", {"name": ("in", emails)})
		contacts = frappe.db.sql("""select count(*) from `tabContact` where user in %(users)s""", {"users": emails})[0][0]
		linked = sum(1 for row in rows if row.user and row.user == row.email.lower())
		for label, value in (("users", users), ("contacts", contacts), ("linked members", linked)):
			if value != n:
				problems.append(f"{label}: {value} for {n} members")
		return problems

	def stop(self) -> None:
		self.workers.stop()


def release(connection) -> None:
	import pymysql

	try:
		connection.rollback()
		connection.close()
	except pymysql.Error:
		pass  # the restarted database already dropped it


def held_run(label: str, members: int):
	"""A run started with both workers stopped at a held member: (run, lock, accounts made so far)."""
	run = Run(label, members)
	held = [run.member(1, 30), run.member(2, 30)]
	lock = run.hold(held)
	run.queue()
	run.wait_until_held(held)
	return run, lock, run.successful_now()


def drill_redis(members: int) -> dict:
	import frappe

	run, lock, done = held_run("redis", members)
	frappe.cache.flushall()
	incident = time.monotonic()
	release(lock)
	return finish(run, incident, done)


def drill_mariadb(members: int) -> dict:
	run, lock, done = held_run("mariadb", members)
	incident = time.monotonic()
	restart_mariadb()
	release(lock)
	reconnect()
	return finish(run, incident, done)


def drill_kills(members: int) -> dict:
	from verenigingen.tests.workers import BulkWorkers, production_environment

	run = Run("kills", members)
	hold_points = [(1, 2), (3, 4), (5, 6)]
	lock = run.hold([run.member(b, 30) for b in hold_points[0]])
	run.queue()
	incidents = []
	for number, batches in enumerate(hold_points):
		held = [run.member(b, 30) for b in batches]
		if number:
			lock = run.hold(held)
			run.workers = BulkWorkers(2, env=production_environment()).start()
		run.wait_until_held(held)
		run.workers.kill()
		incidents.append((time.monotonic(), run.successful_now()))
		release(lock)
		print(f"kills: kill {number + 1} at {incidents[-1][1]} accounts", flush=True)
		if number < len(hold_points) - 1:
			wait_for_recovery(run)
			recovered = time.monotonic() - incidents[-1][0]
			print(f"kills: kill {number + 1}: its requests were back in the queue {recovered:.1f} s later", flush=True)
	run.workers = BulkWorkers(2, env=production_environment()).start()
	result = finish(run, *incidents[0])
	result["kills"] = len(incidents)
	return result


def wait_for_recovery(run: Run) -> None:
	"""Tick as the scheduler does until recovery has put the held requests back in the queue."""
	import frappe

	while True:
		run.tick()
		frappe.db.rollback()
		if not frappe.db.count("Account Creation Request", {"tracker": run.tracker, "status": "Processing"}):
			return
		time.sleep(0.5)


def finish(run: Run, incident: float, done: int) -> dict:
	try:
		result = run.until_finished(incident, done)
	finally:
		run.stop()
	result["problems"] = run.check_invariants()
	result["accounts_at_incident"] = done
	return result


def restart_mariadb() -> None:
	subprocess.run(["start-stop-daemon", "--stop", "--retry", "30", "--exec", MARIADB], check=True)
	subprocess.run(["start-stop-daemon", "--start", "--oknodo", "--background", "--exec", MARIADB], check=True)
	deadline = time.monotonic() + 120
	from verenigingen.tests.blocking import connect_as_site

	while time.monotonic() < deadline:
		try:
			connect_as_site().close()
			return
		except Exception:  # noqa: BLE001 - any refusal means: not up yet
			time.sleep(0.5)
	raise SystemExit("MariaDB did not come back in 120 s")


def reconnect() -> None:
	import frappe

	site = frappe.local.site
	frappe.destroy()
	frappe.init(site=site, sites_path=".")
	frappe.connect()


def report(label: str, result: dict) -> None:
	first = "unknown" if result["first_progress_s"] is None else f"{result['first_progress_s']:.1f}"
	print(f"{label:8} incident at {result['accounts_at_incident']} accounts; first account after it in {first} s; "
		f"run finished {result['finished_s']:.1f} s after it: {result['status']}, {result['successful']}/"
		f"{result['total']} created, {result['failed']} failed"
		+ (f" ({result['kills']} kills)" if "kills" in result else ""), flush=True)
	print(f"{'':8} invariants: " + ("hold" if not result["problems"] else "BROKEN: " + "; ".join(result["problems"])),
		flush=True)


def main():
	args = parse_args()
	reexec_in_bench(args.bench, __file__)
	import frappe

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()  # as Administrator, like `bench execute`: a drill run by the bench owner
	drills = {"redis": drill_redis, "mariadb": drill_mariadb, "kills": drill_kills}
	failed = False
	for label in args.drills.split(","):
		result = drills[label](args.members)
		report(label, result)
		failed |= bool(result["problems"])
	frappe.destroy()
	print("DRILLS FAILED" if failed else "drills passed", flush=True)
	raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
	main()
