#!/usr/bin/env python3
"""Benchmark: the monitoring reads on 100 trackers and 50,000 account requests.

    python3 benchmarks/monitoring.py --bench /opt/frappe-bench --site SITE [--trackers 100] [--requests 50000]

Inserts the trackers and requests with multi-row INSERTs in one transaction (a fixture, not the
code measured), then times get_performance_dashboard_data (p50/p95 over --calls calls), the
hourly checks (queue health, and the alert manager's hourly checks when present) and the daily
checks (performance monitoring, the insights report, and the alert manager's daily checks when
present). Everything is rolled back at the end: the site keeps no benchmark rows.
Targets: dashboard p95 < 300 ms, hourly < 10 s, daily < 60 s.
"""

import importlib
import random
import time
from datetime import timedelta

from bench_env import bench_arguments, reexec_in_bench

TARGETS = {"dashboard_p95_ms": 300, "hourly_s": 10, "daily_s": 60}
REASONS = ("Member has no email address", "Lock wait timeout exceeded", "User already exists", "Throttled")


def parse_args():
	parser = bench_arguments(__doc__.splitlines()[0])
	parser.add_argument("--trackers", type=int, default=100)
	parser.add_argument("--requests", type=int, default=50_000)
	parser.add_argument("--calls", type=int, default=50)
	return parser.parse_args()


def insert_fixture(prefix: str, trackers: int, requests: int) -> None:
	import frappe
	from frappe.utils import now_datetime

	now, rng = now_datetime(), random.Random(8)
	per_tracker = requests // trackers
	tracker_rows, request_rows = [], []
	for t in range(trackers):
		name = f"{prefix}-T{t:04d}"
		started = now - timedelta(days=rng.uniform(0, 30), minutes=rng.uniform(0, 600))
		running = t >= trackers - 3
		minutes = rng.uniform(5, 400)
		failed = rng.randint(0, per_tracker // 10)
		done = per_tracker - (per_tracker // 2 if running else 0)
		tracker_rows.append(
			(
				name,
				"Account Creation",
				"Processing" if running else "Completed with Errors",
				"Administrator",
				per_tracker,
				done,
				done - failed,
				failed,
				rng.choice((25, 50, 100)),
				rng.choice((1, 2, 4)),
				started,
				None if running else started + timedelta(minutes=minutes),
				round(done / minutes, 1),
				"Low",
				started,
				started,
				"Administrator",
				"Administrator",
			)
		)
		for r in range(per_tracker):
			status = "Completed" if r >= failed else "Failed"
			if running and r >= done:
				status = "Queued" if r % 50 else "Processing"
			retry_at = now + timedelta(minutes=5) if status == "Failed" and r % 3 == 0 else None
			request_rows.append(
				(
					f"{name}-R{r:05d}",
					f"{prefix}-M{t:04d}{r:05d}",
					status,
					name,
					r // 50 + 1,
					rng.choice(("transient", "permanent")) if status == "Failed" else None,
					rng.choice(REASONS) if status == "Failed" else None,
					retry_at,
					started + timedelta(seconds=r) if status in ("Completed", "Failed") else None,
					1,
					"Low",
					started,
					started,
					"Administrator",
					"Administrator",
				)
			)
	frappe.db.bulk_insert(
		"Bulk Operation Tracker",
		(
			"name",
			"operation_type",
			"status",
			"requested_by",
			"total",
			"processed",
			"successful",
			"failed",
			"batch_size",
			"bulk_workers",
			"started_at",
			"finished_at",
			"rate_per_minute",
			"priority",
			"creation",
			"modified",
			"owner",
			"modified_by",
		),
		tracker_rows,
		chunk_size=500,
	)
	frappe.db.bulk_insert(
		"Account Creation Request",
		(
			"name",
			"member",
			"status",
			"tracker",
			"batch_number",
			"failure_class",
			"failure_reason",
			"next_retry_at",
			"processed_at",
			"attempt_count",
			"priority",
			"creation",
			"modified",
			"owner",
			"modified_by",
		),
		request_rows,
		chunk_size=2000,
	)


def timed(function) -> float:
	started = time.perf_counter()
	function()
	return time.perf_counter() - started


def optional_checks(name: str):
	"""The alert manager's checks of this name, when that module is installed."""
	try:
		module = importlib.import_module("verenigingen.utils.alert_manager")
	except ImportError:
		return None
	return getattr(module.AlertManager(), name, None)


def main():
	args = parse_args()
	reexec_in_bench(args.bench, __file__)
	import frappe

	from verenigingen.core.performance import percentile
	from verenigingen.utils import analytics_engine, bulk_performance_monitor, bulk_queue_config

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()  # as Administrator, like `bench execute`: a benchmark fixture run by the bench owner
	try:
		insert_fixture("BENCHMON" + frappe.generate_hash(length=4).upper(), args.trackers, args.requests)
		bulk_performance_monitor.get_performance_dashboard_data(7)  # warm the caches once
		calls = [
			timed(lambda: bulk_performance_monitor.get_performance_dashboard_data(7)) * 1000
			for _ in range(args.calls)
		]
		hourly = [bulk_queue_config.monitor_bulk_queue_health, optional_checks("run_hourly_checks")]
		daily = [
			bulk_performance_monitor.run_performance_monitoring,
			lambda: analytics_engine.AnalyticsEngine().generate_insights_report(),
			optional_checks("run_daily_checks"),
		]
		figures = {
			"dashboard_p50_ms": round(percentile(calls, 0.5), 1),
			"dashboard_p95_ms": round(percentile(calls, 0.95), 1),
			"hourly_s": round(sum(timed(check) for check in hourly if check), 2),
			"daily_s": round(sum(timed(check) for check in daily if check), 2),
		}
		seen = frappe.db.count("Account Creation Request"), frappe.db.count("Bulk Operation Tracker")
		print(
			f"{args.trackers} trackers, {args.requests} requests inserted; the site now holds {seen[1]} trackers, "
			f"{seen[0]} requests; {args.calls} dashboard calls"
		)
		print(f"alert manager checks included: {optional_checks('run_hourly_checks') is not None}")
		for key, value in figures.items():
			target = TARGETS.get(key)
			verdict = "" if target is None else ("  ok" if value < target else f"  OVER target {target}")
			print(f"{key:18} {value}{verdict}")
	finally:
		frappe.db.rollback()  # leave no benchmark rows behind
		frappe.destroy()


if __name__ == "__main__":
	main()
