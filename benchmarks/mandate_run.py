#!/usr/bin/env python3
"""Benchmark: a mandate run (Bulk Operation Tracker, Mandate Creation) on production-style workers.

    python3 benchmarks/mandate_run.py --bench /opt/frappe-bench --site SITE [--members 1000] [--workers 2]

Inserts --members members with a valid IBAN and a monthly contribution and no mandate (a multi-row
INSERT: the fixture, not the code measured), queues one mandate run for them as Administrator and
lets --workers `bench worker --queue bulk` processes, started without `CI` (as in production), do it.
Prints the run's mandates per minute, the same figure the daily performance check compares with
*Minimum Mandates per Minute*, next to the account runs' figure it used to be judged by. Removes its
members, mandates and tracker afterwards (its audit rows stay: the log is append-only).
"""

import time

from bench_env import bench_arguments, reexec_in_bench

DEBTOR_IBANS = ("NL25RABO0497465075", "NL39ASNB7975432319", "NL20INGB0001234567", "NL02ABNA0123456789")


def make_members(count: int) -> list[str]:
	"""Members with an IBAN and a contribution, without a mandate; return their names."""
	import frappe
	from frappe.utils import now_datetime

	now, prefix = now_datetime(), f"MR{frappe.generate_hash(length=4).upper()}"
	rows = []
	for i in range(count):
		name = f"{prefix}{i:05d}"
		rows.append((name, name, "Lid", f"Mandaat {i}", f"Lid Mandaat {i}", f"{name.lower()}@example.nl", "Active",
			DEBTOR_IBANS[i % len(DEBTOR_IBANS)], 7.5, "Monthly", "2024-01-15", now, now, "Administrator",
			"Administrator"))
	frappe.db.bulk_insert("Member", ("name", "member_id", "first_name", "last_name", "full_name", "email", "status",
		"iban", "contribution_amount", "contribution_period", "member_since", "creation", "modified", "owner",
		"modified_by"), rows, chunk_size=1000)
	frappe.db.commit()
	return [row[0] for row in rows]


def wait_for(tracker: str, timeout: float) -> dict:
	import frappe

	from verenigingen.core.bulk_progress import FINISHED_STATUSES

	deadline = time.monotonic() + timeout
	while time.monotonic() < deadline:
		frappe.db.rollback()  # see the workers' commits
		doc = frappe.db.get_value("Bulk Operation Tracker", tracker, "*", as_dict=True)
		if doc.status in FINISHED_STATUSES:
			return doc
		time.sleep(0.5)
	raise SystemExit(f"run {tracker} did not finish in {timeout} s")


def cleanup(names: list[str], tracker: str | None) -> None:
	import frappe

	for start in range(0, len(names), 1000):
		chunk = names[start : start + 1000]
		frappe.db.delete("SEPA Mandate", {"member": ("in", chunk)})
		frappe.db.delete("Member", {"name": ("in", chunk)})
	if tracker:
		frappe.db.delete("Bulk Operation Tracker", tracker)
	frappe.db.commit()


def main():
	parser = bench_arguments(__doc__.splitlines()[0])
	parser.add_argument("--workers", type=int, default=2)
	parser.set_defaults(members=1000)
	args = parser.parse_args()
	reexec_in_bench(args.bench, __file__)
	import frappe

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()  # as Administrator, like `bench execute`: a benchmark run by the bench owner
	from verenigingen.core.performance import processing_rate
	from verenigingen.monitoring.performance import MIN_RATE_SETTINGS, run_figures
	from verenigingen.sepa.mandate_run import queue_mandate_run
	from verenigingen.tests.workers import BulkWorkers, production_environment

	names, tracker = make_members(args.members), None
	workers = BulkWorkers(args.workers, env=production_environment()).start()
	try:
		started = time.monotonic()
		tracker = queue_mandate_run(names)["tracker"]
		frappe.db.commit()
		doc = wait_for(tracker, timeout=1800)
		wall = time.monotonic() - started
		rate = processing_rate(run_figures(doc), doc.finished_at)
		print(f"mandate run {tracker}: {doc.status}, {doc.successful} of {doc.total} successful, {doc.failed} failed")
		print(f"{args.workers} production-style workers: {wall:.1f} s wall from queueing; the run's own rate "
			f"(the daily check's figure): {rate} mandates per minute")
		for operation_type, (field, default) in MIN_RATE_SETTINGS.items():
			print(f"  {operation_type}: minimum {field} default {default}")
	finally:
		workers.stop()
		cleanup(names, tracker)
		frappe.destroy()


if __name__ == "__main__":
	main()
