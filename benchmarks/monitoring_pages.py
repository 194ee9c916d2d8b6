#!/usr/bin/env python3
"""Benchmark: the monitoring pages' data calls on 100 trackers and 50,000 account requests.

    python3 benchmarks/monitoring_pages.py --bench /opt/frappe-bench --site SITE [--calls 20]

Inserts the fixture of benchmarks/monitoring.py (rolled back at the end), then times
/monitoring_dashboard's get_system_metrics, the Bulk Operations Monitor's get_monitor_data and
the Bulk Operations Performance Report over the last 30 days (p50/p95 over --calls calls each).
Target: the dashboard's figures in under 3 s (the page itself is a small template around them).
"""

import time

from bench_env import bench_arguments, reexec_in_bench
from monitoring import insert_fixture

TARGET_S = 3.0


def parse_args():
	parser = bench_arguments(__doc__.splitlines()[0])
	parser.add_argument("--trackers", type=int, default=100)
	parser.add_argument("--requests", type=int, default=50_000)
	parser.add_argument("--calls", type=int, default=20)
	return parser.parse_args()


def seconds(function, calls: int) -> list[float]:
	function()  # warm the caches once
	timings = []
	for _ in range(calls):
		started = time.perf_counter()
		function()
		timings.append(time.perf_counter() - started)
	return timings


def main():
	args = parse_args()
	reexec_in_bench(args.bench, __file__)
	import frappe
	from frappe.utils import add_days, today

	from verenigingen.core.performance import percentile
	from verenigingen.utils import bulk_operations_monitor
	from verenigingen.verenigingen.report.bulk_operations_performance_report import (
		bulk_operations_performance_report as report,
	)
	from verenigingen.www import monitoring_dashboard

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()  # as Administrator, like `bench execute`: a benchmark fixture run by the bench owner
	try:
		insert_fixture("BENCHPAGE" + frappe.generate_hash(length=4).upper(), args.trackers, args.requests)
		filters = {"from_date": add_days(today(), -30), "to_date": today()}
		calls = {
			"get_system_metrics": monitoring_dashboard.get_system_metrics,
			"get_monitor_data": bulk_operations_monitor.get_monitor_data,
			"performance_report": lambda: report.execute(filters),
		}
		print(f"{frappe.db.count('Account Creation Request')} requests, {frappe.db.count('Bulk Operation Tracker')}"
			f" trackers; {args.calls} calls each")
		for name, call in calls.items():
			timings = seconds(call, args.calls)
			p95 = percentile(timings, 0.95)
			verdict = "  ok" if p95 < TARGET_S else f"  OVER target {TARGET_S} s"
			print(f"{name:20} p50 {percentile(timings, 0.5) * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms{verdict}")
	finally:
		frappe.db.rollback()  # leave no benchmark rows behind
		frappe.destroy()


if __name__ == "__main__":
	main()
