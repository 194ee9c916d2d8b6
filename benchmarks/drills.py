#!/usr/bin/env python3
"""Drills: Redis flushed, MariaDB restarted, workers killed and a worker host lost mid-run.

    python3 benchmarks/drills.py --bench /opt/frappe-bench --site SITE [--members 500]
        [--drills redis,mariadb,kills,otherhost] [--never-logged-in]

Each drill runs the bulk account path for --members Dutch-named members on two
production-style `bench worker --queue bulk` processes (no CI in their environment). Recovery is
the real one: Frappe's scheduler process (`bench schedule`) and two `bench worker --queue
short,default` processes run for the whole drill, and nothing else acts. The incident lands
mid-run by construction: two members are held locked from a second database connection, so
both bulk workers stop at a known request, and the incident happens while they wait. Then the
drill only watches, and checks the invariants: the tracker Completed with exact counts, and
exactly one User and one Contact per member. Prints, per incident, the time from the incident
to its recovery (target <= 60 s), to the first account made after it and to the run's end.

- redis: FLUSHALL while the workers wait (every queued job, job hash and worker key is gone).
  Recovered: a new job of the run enqueued, or the run finished without one.
- mariadb: MariaDB stopped and started again while the workers wait (needs root; the
  start-stop-daemon commands the machine's MariaDB was started with). Recovered: the requests
  the workers held are back in the queue (or done).
- kills: both workers and their work horses SIGKILLed three times during one run, each time
  while they wait at a held member; restarted at once, as supervisor does. Recovered: likewise.
- otherhost: the two bulk workers run as two other hosts, each in a UTS and PID namespace of its
  own (`unshare`: another hostname, its own pids; same Redis and MariaDB over 127.0.0.1); one
  host is killed from outside (SIGKILL to its namespace's init: every process in it dies) while
  its worker waits. Its request is judged by its rq heartbeat alone. Recovered: likewise.
- mandates: a SEPA mandate run (a run over plain items: batches, no requests) for --members
  members with an IBAN; Redis flushed while both workers wait at a held member, once the batches
  are older than the 10 s a just-written batch has for its job. Recovered: a
  batch of the run enqueued again (generation > 0). Invariants: Completed with exact counts, one
  Active mandate per member.

--never-logged-in deletes the site's Activity Log before each drill, so the site is dormant to
Frappe's scheduler (as a new site nobody logged in to) until the run itself counts as activity;
use it on a site of its own. The site's scheduler is enabled.

Not part of CI: restarting the database under a test runner would take its connection too.
Run it under the bench's tier-2 lock: the workers serve every site of the bench.
"""

import subprocess
import time

from bench_env import bench_arguments, reexec_in_bench
from bulk_accounts import FINISHED, make_members
from dutch_names import namesake_people

BATCH_SIZE = 50
MARIADB = "/usr/sbin/mariadbd"
RECOVERY_TARGET_S = 60
HOSTS = ("drill-host-a", "drill-host-b")


def parse_args():
	parser = bench_arguments(__doc__.splitlines()[0])
	parser.set_defaults(members=500)
	parser.add_argument("--drills", default="redis,mariadb,kills,otherhost,mandates")
	parser.add_argument("--never-logged-in", action="store_true", help="delete the site's Activity Log first")
	return parser.parse_args()


class Scheduling:
	"""Frappe's scheduler process and the workers its jobs run on, for the whole drill."""

	def __init__(self):
		from verenigingen.tests.workers import BulkWorkers, production_environment, start_bench_process

		self.scheduler = start_bench_process(["schedule"], "verenigingen-drill-scheduler.log", production_environment())
		self.workers = BulkWorkers(2, queue="short,default", env=production_environment()).start()

	def stop(self) -> None:
		import os
		import signal

		os.killpg(self.scheduler.pid, signal.SIGTERM)
		self.scheduler.wait(timeout=30)
		self.workers.stop()


def site_dormant() -> bool:
	"""Whether Frappe's scheduler calls the site dormant now (then it runs its jobs once a day)."""
	from frappe.utils.scheduler import is_dormant

	return is_dormant()


class Run:
	"""One bulk run under drill: its members, tracker and bulk workers."""

	def __init__(self, label: str, members: int, workers=None):
		import frappe

		from verenigingen.tests.workers import BulkWorkers, production_environment

		self.label = label
		prefix = "D" + frappe.generate_hash(length=4).upper() + label[0].upper()
		self.names = make_members(prefix, namesake_people(members, seed=sum(map(ord, label))))
		self.workers = workers or BulkWorkers(2, env=production_environment()).start()
		self.tracker = None
		self.dormant_during = None

	def member(self, batch: int, position: int) -> str:
		return self.names[(batch - 1) * BATCH_SIZE + position]

	def queue(self) -> None:
		import frappe

		from verenigingen.utils.account_creation_manager import queue_bulk_account_creation_for_members

		self.tracker = queue_bulk_account_creation_for_members(self.names, batch_size=BATCH_SIZE)["tracker"]
		frappe.db.commit()
		self.dormant_during = site_dormant()

	def counts(self) -> dict:
		import frappe

		frappe.db.rollback()  # see the workers' commits
		return frappe.db.get_value("Bulk Operation Tracker", self.tracker,
			["status", "total", "processed", "successful", "failed", "waiting_for_retry"], as_dict=True)

	def successful_now(self) -> int:
		import frappe

		frappe.db.rollback()
		return frappe.db.count("Account Creation Request", {"tracker": self.tracker, "status": "Completed"})

	def held_claims(self, requests: list[str]) -> dict[str, str]:
		import frappe

		frappe.db.rollback()
		return dict(frappe.get_all("Account Creation Request", filters={"name": ("in", requests)},
			fields=["name", "claimed_by"], as_list=True))

	def released(self, claims: dict[str, str]) -> bool:
		"""None of the requests is still Processing under the claim it had at the incident."""
		import frappe

		frappe.db.rollback()
		rows = frappe.get_all("Account Creation Request", filters={"name": ("in", list(claims))},
			fields=["name", "status", "claimed_by"])
		return all(row.status != "Processing" or row.claimed_by != claims[row.name] for row in rows)

	def recovery_job_enqueued(self) -> bool:
		"""A job of this run that recovery enqueued (a new generation: ``-r<n>``) is queued or started."""
		from frappe.utils.background_jobs import get_queue
		from rq.registry import StartedJobRegistry

		queue = get_queue("bulk")
		started = [job_id.decode() for job_id in queue.connection.zrange(StartedJobRegistry(queue=queue).key, 0, -1)]
		return any(self.tracker in job_id and "-r" in job_id.rsplit("-b", 1)[-1]
			for job_id in queue.get_job_ids() + started)

	def until_finished(self, incident_at: float, done_at_incident: int, recovered=None, timeout: float = 1800) -> dict:
		"""Watch (only) until the run finishes; ``recovered()`` says when the incident was recovered."""
		first_progress = recovered_at = None
		while time.monotonic() - incident_at < timeout:
			if first_progress is None and self.successful_now() > done_at_incident:
				first_progress = time.monotonic() - incident_at
			if recovered_at is None and recovered and recovered():
				recovered_at = time.monotonic() - incident_at
			counts = self.counts()
			if counts.status in FINISHED and not counts.waiting_for_retry:
				finished = time.monotonic() - incident_at
				return {"first_progress_s": first_progress, "finished_s": finished,
					"recovered_s": finished if recovered_at is None else recovered_at, **counts}
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


def held_run(label: str, members: int, workers=None):
	"""A run started with both workers stopped at a held member: (run, lock, held requests' claims, accounts)."""
	from verenigingen.tests.blocking import requests_of_members

	run = Run(label, members, workers)
	held = [run.member(1, 30), run.member(2, 30)]
	lock = run.hold(held)
	run.queue()
	run.wait_until_held(held)
	return run, lock, run.held_claims(requests_of_members(held)), run.successful_now()


def drill_redis(members: int) -> dict:
	import frappe

	run, lock, _claims, done = held_run("redis", members)
	frappe.cache.flushall()
	incident = time.monotonic()
	release(lock)
	return finish(run, incident, done, run.recovery_job_enqueued)


def drill_mariadb(members: int) -> dict:
	run, lock, claims, done = held_run("mariadb", members)
	incident = time.monotonic()
	restart_mariadb()
	release(lock)
	reconnect()
	return finish(run, incident, done, lambda: run.released(claims))


def drill_kills(members: int) -> dict:
	from verenigingen.tests.blocking import requests_of_members
	from verenigingen.tests.workers import BulkWorkers, production_environment

	run = Run("kills", members)
	hold_points = [(1, 2), (3, 4), (5, 6)]
	lock = run.hold([run.member(b, 30) for b in hold_points[0]])
	run.queue()
	incidents, recoveries = [], []
	for number, batches in enumerate(hold_points):
		held = [run.member(b, 30) for b in batches]
		run.wait_until_held(held)
		claims = run.held_claims(requests_of_members(held))
		run.workers.kill()
		incidents.append((time.monotonic(), run.successful_now()))
		# The next stop is locked before the workers can get there.
		next_lock = run.hold([run.member(b, 30) for b in hold_points[number + 1]]) if number + 1 < len(hold_points) else None
		run.workers = BulkWorkers(2, env=production_environment()).start()  # supervisor restarts them
		release(lock)
		lock = next_lock
		print(f"kills: kill {number + 1} at {incidents[-1][1]} accounts", flush=True)
		recoveries.append(wait_for(lambda: run.released(claims)) - incidents[-1][0])
		print(f"kills: kill {number + 1}: its requests were back in the queue {recoveries[-1]:.1f} s later", flush=True)
	result = finish(run, *incidents[0])
	result.update(kills=len(incidents), recoveries=recoveries, recovered_s=max(recoveries))
	return result


def drill_otherhost(members: int) -> dict:
	"""Two bulk workers as two other hosts; the host whose worker holds batch 1's member dies."""
	from verenigingen.core.claims import parse_claim
	from verenigingen.tests.workers import OtherHostWorkers, production_environment

	hosts = {name: OtherHostWorkers(name, 1, env=production_environment()).start() for name in HOSTS}
	run, lock, claims, done = held_run("otherhost", members, workers=HostGroup(hosts))
	by_host = {parse_claim(claim).host: name for name, claim in claims.items()}
	victim = sorted(by_host)[0]
	print(f"otherhost: held requests claimed on {sorted(by_host)}; killing {victim} (pid namespace init)", flush=True)
	hosts[victim].kill()
	incident = time.monotonic()
	release(lock)
	dead = {by_host[victim]: claims[by_host[victim]]}
	result = finish(run, incident, done, lambda: run.released(dead))
	result["host_killed"] = victim
	return result


def drill_mandates(members: int) -> dict:
	"""A run over plain items (SEPA mandates, no requests): Redis flushed while both workers wait."""
	import json

	import frappe
	from mandate_run import make_members as make_mandate_members

	from verenigingen.account_creation import item_runs
	from verenigingen.sepa.mandate_run import queue_mandate_run
	from verenigingen.tests.blocking import connect_as_site
	from verenigingen.tests.workers import BulkWorkers, production_environment

	names = make_mandate_members(members)
	tracker = queue_mandate_run(names)["tracker"]
	frappe.db.commit()
	queued_at = time.monotonic()
	batches = frappe.get_all("Bulk Operation Batch", filters={"tracker": tracker}, fields=["batch_number", "job_kwargs"],
		order_by="batch_number asc", limit_page_length=2)
	held = [json.loads(batch.job_kwargs)["member_names"][30] for batch in batches]
	lock = connect_as_site()
	with lock.cursor() as cursor:  # before any worker starts: both stop at their batch's 31st member
		for name in held:
			cursor.execute("select name from `tabMember` where name = %s for update", (name,))
	workers = BulkWorkers(2, env=production_environment()).start()
	try:
		wait_for(lambda: waiting_for_members() >= len(held))
		# Mid-run: once the batches are older than the grace a just-written batch has for its job
		# (a flush within it waits for the rest of it first).
		time.sleep(max(0.0, item_runs.LOST_BATCH_GRACE_SECONDS + 1 - (time.monotonic() - queued_at)))
		done = mandates_of(names)
		frappe.cache.flushall()
		incident = time.monotonic()
		release(lock)
		result = mandate_run_until_finished(tracker, names, incident, done)
	finally:
		workers.stop()
	per_member = frappe.db.sql("""select count(*) from `tabSEPA Mandate` where member in %(names)s and status = 'Active'
		group by member""", {"names": names})
	problems = [] if (result["status"], result["successful"], result["failed"]) == ("Completed", members, 0) \
		else [f"tracker {result}"]
	if len(per_member) != members or {row[0] for row in per_member} != {1}:
		problems.append(f"Active mandates: {len(per_member)} members have one or more, for {members} members")
	result.update(problems=problems, accounts_at_incident=done, unit="mandates", dormant_during=site_dormant())
	return result


def waiting_for_members() -> int:
	"""Connections of the site waiting on a Member row lock (the workers held at the locked members)."""
	import frappe

	return frappe.db.sql("""select count(*) from information_schema.processlist
		where id != connection_id() and lower(info) like 'select%from `tabmember`%for update%'""")[0][0]


def mandates_of(names: list[str]) -> int:
	import frappe

	frappe.db.rollback()  # see the workers' commits
	return frappe.db.count("SEPA Mandate", {"member": ("in", names), "status": "Active"})


def mandate_run_until_finished(tracker: str, names: list[str], incident: float, done: int, timeout: float = 1800) -> dict:
	"""Watch until the run finishes; recovered once a batch of it is enqueued again (generation > 0)."""
	import frappe

	first_progress = recovered_at = None
	while time.monotonic() - incident < timeout:
		since = time.monotonic() - incident
		frappe.db.rollback()  # see the workers' commits
		if first_progress is None and mandates_of(names) > done:
			first_progress = since
		if recovered_at is None and frappe.db.exists("Bulk Operation Batch", {"tracker": tracker, "generation": (">", 0)}):
			recovered_at = since
		counts = frappe.db.get_value("Bulk Operation Tracker", tracker, ["status", "total", "successful", "failed"],
			as_dict=True)
		if counts.status in FINISHED:
			return {"first_progress_s": first_progress, "finished_s": since,
				"recovered_s": since if recovered_at is None else recovered_at, **counts}
		time.sleep(0.5)
	raise SystemExit(f"mandates: the run did not finish in {timeout:.0f} s")


class HostGroup:
	"""The workers of several other hosts, stopped together."""

	def __init__(self, hosts: dict):
		self.hosts = hosts

	def stop(self) -> None:
		for host in self.hosts.values():
			host.stop()


def wait_for(condition, timeout: float = 600) -> float:
	"""Poll until ``condition()`` holds; the moment it did (monotonic)."""
	deadline = time.monotonic() + timeout
	while time.monotonic() < deadline:
		if condition():
			return time.monotonic()
		time.sleep(0.5)
	raise SystemExit(f"not recovered in {timeout:.0f} s")


def finish(run: Run, incident: float, done: int, recovered=None) -> dict:
	try:
		result = run.until_finished(incident, done, recovered)
	finally:
		run.stop()
	result["problems"] = run.check_invariants()
	result.update(accounts_at_incident=done, dormant_during=run.dormant_during)
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


def forget_logins() -> None:
	"""A site nobody logged in to: no Activity Log at all (Frappe's scheduler calls it dormant)."""
	import frappe

	frappe.db.delete("Activity Log")
	frappe.db.commit()


def report(label: str, result: dict) -> None:
	first = "unknown" if result["first_progress_s"] is None else f"{result['first_progress_s']:.1f}"
	recoveries = result.get("recoveries") or [result["recovered_s"]]
	within = all(r <= RECOVERY_TARGET_S for r in recoveries)
	print(f"{label:9} incident at {result['accounts_at_incident']} {result.get('unit', 'accounts')}; recovered in "
		f"{', '.join(f'{r:.1f}' for r in recoveries)} s (target <= {RECOVERY_TARGET_S}: {'met' if within else 'NOT MET'}); "
		f"first {result.get('unit', 'accounts')[:-1]} after it in {first} s; run finished {result['finished_s']:.1f} s after it: {result['status']}, "
		f"{result['successful']}/{result['total']} created, {result['failed']} failed"
		+ (f" ({result['kills']} kills)" if "kills" in result else "")
		+ (f" (host {result['host_killed']} killed)" if "host_killed" in result else ""), flush=True)
	print(f"{'':9} dormant before the run: {result.get('dormant_before')}, during it: {result.get('dormant_during')}; "
		"invariants: " + ("hold" if not result["problems"] else "BROKEN: " + "; ".join(result["problems"])), flush=True)


def worker_flags() -> dict:
	"""The flags jobs run with on the drill's default workers (production: no CI, in_test off)."""
	import json
	import os
	import tempfile

	import frappe

	path = os.path.join(tempfile.mkdtemp(prefix="verenigingen-drill-"), "flags.json")
	frappe.enqueue("verenigingen.tests.workers.record_worker_flags", queue="default", path=path)
	frappe.db.commit()
	wait_for(lambda: os.path.exists(path), timeout=120)
	time.sleep(0.2)  # the job writes the file in one go; let it close
	with open(path, encoding="utf-8") as file:
		return json.load(file)


def main():
	args = parse_args()
	reexec_in_bench(args.bench, __file__)
	import frappe
	from frappe.utils.scheduler import enable_scheduler

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()  # as Administrator, like `bench execute`: a drill run by the bench owner
	enable_scheduler()
	frappe.db.commit()
	drills = {"redis": drill_redis, "mariadb": drill_mariadb, "kills": drill_kills, "otherhost": drill_otherhost,
		"mandates": drill_mandates}
	scheduling = Scheduling()
	failed = False
	try:
		flags = worker_flags()
		print(f"Frappe {frappe.__version__}; scheduler: `frappe schedule`; workers: 2 x `worker --queue short,default`, "
			f"bulk workers per drill; flags in the workers: in_test {flags['in_test']}, CI in environment {flags['CI']}; "
			f"developer_mode {bool(frappe.conf.developer_mode)}", flush=True)
		for label in args.drills.split(","):
			if args.never_logged_in:
				forget_logins()
			dormant_before = site_dormant()
			result = drills[label](args.members)
			result["dormant_before"] = dormant_before
			report(label, result)
			failed |= bool(result["problems"]) or any(r > RECOVERY_TARGET_S for r in result.get("recoveries")
				or [result["recovered_s"]])
	finally:
		scheduling.stop()
	frappe.destroy()
	print("DRILLS FAILED" if failed else "drills passed", flush=True)
	raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
	main()
