#!/usr/bin/env python3
"""Benchmark: ERPNext contribution accounting on production-style `bulk` workers.

    python3 benchmarks/erpnext_contributions.py [--bench /opt/erpnext-bench]
        [--site verenigingen-erpnext.localhost] [--members 4700] [--workers 2] [--loop 200]

Needs a site with ERPNext. Makes the company "Vereniging Test" when missing (as the ERPNext test
tier does), inserts --members members with a monthly contribution and an Active mandate (multi-row
INSERTs: the fixture, not the code measured), then times, on --workers `bench worker --queue bulk`
processes started without `CI` (as in production; the flags they ran jobs with are printed):

  1. the Customer run (Customer Creation) for all members,
  2. the invoicing run (Contribution Invoicing): one submitted Sales Invoice per member,
  3. a Direct Debit Batch filled from those invoices and its pain.008 file (in this process),
  4. the payment run (Contribution Payments) after the batch is marked submitted (status set
     directly: pre-notification e-mails are not what is measured).

Headline: the invoicing run's invoices/s against a plain one-process loop in the same run
(``frappe.new_doc("Sales Invoice") ... insert(); submit()`` for --loop members, in this process),
target >= 1.5x with 2 workers. Absolute figures move about 2x between machines of one kind.
Workers serve every site of the bench: run it on a quiet bench. Removes its members, mandates,
invoices, payments, Customers, batch and trackers afterwards (audit rows stay: append-only).
"""

import json
import os
import tempfile
import time

from bench_env import bench_arguments, reexec_in_bench
from mandate_run import DEBTOR_IBANS, wait_for

TARGET_RATIO = 1.5


def make_members(count: int) -> list[str]:
	"""Members with a monthly contribution and an Active FRST mandate; return their names."""
	import frappe
	from frappe.utils import add_days, now_datetime, today

	from verenigingen.core.sepa.accounts import mask_iban

	now, prefix = now_datetime(), f"EB{frappe.generate_hash(length=4).upper()}"
	members, mandates = [], []
	for i in range(count):
		name, iban = f"{prefix}{i:05d}", DEBTOR_IBANS[i % len(DEBTOR_IBANS)]
		members.append((name, name, "Lid", f"Boekhouding {i}", f"Lid Boekhouding {i}", f"{name.lower()}@example.nl",
			"Active", iban, 7.5 + i % 5, "Monthly", "2024-01-15", now, now, "Administrator", "Administrator"))
		mandates.append((f"M-{name}", f"M-{name}", name, f"Lid Boekhouding {i}", "Active", add_days(today(), -30),
			"FRST", iban, mask_iban(iban), now, now, "Administrator", "Administrator"))
	frappe.db.bulk_insert("Member", ("name", "member_id", "first_name", "last_name", "full_name", "email", "status",
		"iban", "contribution_amount", "contribution_period", "member_since", "creation", "modified", "owner",
		"modified_by"), members, chunk_size=1000)
	frappe.db.bulk_insert("SEPA Mandate", ("name", "mandate_reference", "member", "member_name", "status",
		"signature_date", "sequence_type", "iban", "iban_masked", "creation", "modified", "owner", "modified_by"),
		mandates, chunk_size=1000)
	frappe.db.commit()
	return [row[0] for row in members]


def timed_run(label: str, queue, unit: str) -> tuple[float, dict]:
	"""Queue a run, wait for it, print and return its rate per second."""
	import frappe

	started = time.monotonic()
	result = queue()
	frappe.db.commit()
	doc = wait_for(result["tracker"], timeout=7200) if result.get("tracker") else None
	wall = time.monotonic() - started
	done = doc.successful if doc else 0
	rate = done / wall if wall else 0
	status = f"{doc.status}, {doc.successful} of {doc.total} successful, {doc.failed} failed" if doc else "nothing queued"
	print(f"{label}: {status}; {wall:.1f} s wall from queueing, {rate:.1f} {unit}/s")
	return rate, result


def worker_flags() -> dict:
	"""The flags a bulk worker runs jobs with (must show no CI / in_test in production style)."""
	import frappe

	path = os.path.join(tempfile.mkdtemp(), "flags.json")
	frappe.enqueue("verenigingen.tests.workers.record_worker_flags", queue="bulk", path=path)
	frappe.db.commit()
	deadline = time.monotonic() + 60
	while not os.path.exists(path) and time.monotonic() < deadline:
		time.sleep(0.2)
	return json.load(open(path)) if os.path.exists(path) else {"unknown": "no answer in 60 s"}


def plain_loop(names: list[str], settings, posting_date) -> float:
	"""Invoices/s of the plain one-process ORM loop: new_doc, insert, submit, one member after another."""
	import frappe

	started = time.monotonic()
	for name in names:
		invoice = frappe.new_doc("Sales Invoice")
		invoice.update({"customer": frappe.db.get_value("Member", name, "customer"), "company": settings.company,
			"set_posting_time": 1, "posting_date": posting_date, "due_date": posting_date, "verenigingen_member": name})
		invoice.append("items", {"item_code": settings.item, "qty": 1, "rate": 7.5,
			"income_account": settings.income_account, "cost_center": settings.cost_center})
		invoice.insert()
		invoice.submit()
		frappe.db.commit()
	return len(names) / (time.monotonic() - started)


def cleanup(names: list[str], trackers: list[str], batch: str | None) -> None:
	import frappe

	from verenigingen.tests.erpnext_setup import delete_accounting_data

	for start in range(0, len(names), 500):
		chunk = names[start : start + 500]
		delete_accounting_data(chunk)
		frappe.db.delete("SEPA Mandate", {"member": ("in", chunk)})
		frappe.db.delete("Member", {"name": ("in", chunk)})
	if batch:
		frappe.db.delete("Direct Debit Batch Entry", {"parent": batch})
		frappe.db.delete("Direct Debit Batch", {"name": batch})
	for tracker in trackers:
		frappe.db.delete("Bulk Operation Tracker", {"name": tracker})
	frappe.db.commit()


def main():
	parser = bench_arguments(__doc__.splitlines()[0])
	parser.set_defaults(bench=os.environ.get("VERENIGINGEN_ERPNEXT_BENCH", "/opt/erpnext-bench"),
		site=os.environ.get("VERENIGINGEN_ERPNEXT_TEST_SITE", "verenigingen-erpnext.localhost"))
	parser.add_argument("--workers", type=int, default=2)
	parser.add_argument("--loop", type=int, default=200, help="members in the plain one-process loop")
	args = parser.parse_args()
	reexec_in_bench(args.bench, __file__)
	import frappe

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()  # as Administrator, like `bench execute`: a benchmark run by the bench owner
	from frappe.utils import add_days, getdate, today

	from verenigingen.erpnext.customers import queue_customer_run
	from verenigingen.erpnext.debit import fill_batch_from_invoices
	from verenigingen.erpnext.invoices import queue_invoice_run
	from verenigingen.erpnext.payments import queue_payment_run
	from verenigingen.erpnext.settings import accounting_settings, ensure_item
	from verenigingen.sepa.collections import generate_file
	from verenigingen.tests.erpnext_setup import accounting_settings_for_tests, ensure_test_company
	from verenigingen.tests.import_factories import set_settings
	from verenigingen.tests.sepa_factories import CREDITOR
	from verenigingen.tests.workers import BulkWorkers, production_environment

	if "erpnext" not in frappe.get_installed_apps():
		raise SystemExit(f"ERPNext is not installed on {args.site}: nothing to measure")
	ensure_test_company()
	old = set_settings(**{**CREDITOR, "max_collection_amount": 1000}, **accounting_settings_for_tests())
	settings = accounting_settings()
	ensure_item(settings.item)
	frappe.db.commit()
	names, trackers, batch = make_members(args.members + args.loop), [], None
	bulk, loop = names[: args.members], names[args.members :]
	workers = BulkWorkers(args.workers, env=production_environment()).start()
	try:
		print(f"{args.members} members, {args.workers} production-style workers; worker flags: {worker_flags()}")
		rate_customers, run = timed_run("Customer run", lambda: queue_customer_run(names), "customers")
		trackers.append(run["tracker"])
		rate_invoices, run = timed_run("Invoicing run", lambda: queue_invoice_run(today(), bulk), "invoices")
		trackers.append(run["tracker"])
		started = time.monotonic()
		batch = frappe.get_doc({"doctype": "Direct Debit Batch", "collection_date": add_days(today(), 20)}).insert().name
		preview = fill_batch_from_invoices(batch)
		generate_file(batch)
		frappe.db.commit()
		wall = time.monotonic() - started
		print(f"Batch from invoices + pain.008: {preview['count']} entries, {wall:.1f} s, "
			f"{preview['count'] / wall:.1f} entries/s")
		frappe.db.set_value("Direct Debit Batch", batch, "status", "Submitted")  # fixture: no pre-notification
		frappe.db.commit()
		rate_payments, run = timed_run("Payment run", lambda: queue_payment_run(batch), "payments")
		trackers.append(run["tracker"])
		# the plain loop: members of their own (not in the invoicing run), same posting date
		rate_loop = plain_loop(loop, settings, getdate(today()))
		print(f"Plain one-process loop (new_doc, insert, submit): {len(loop)} invoices, {rate_loop:.1f} invoices/s")
		ratio = rate_invoices / rate_loop if rate_loop else 0
		verdict = "OK" if ratio >= TARGET_RATIO else "BELOW TARGET"
		print(f"Ratio invoicing run / plain loop: {ratio:.2f}x (target >= {TARGET_RATIO}x with 2 workers): {verdict}")
		print(f"Rates/s: customers {rate_customers:.1f}, invoices {rate_invoices:.1f}, payments {rate_payments:.1f}")
	finally:
		workers.stop()
		cleanup(names, [t for t in trackers if t], batch)
		set_settings(**old)
		frappe.destroy()


if __name__ == "__main__":
	main()
