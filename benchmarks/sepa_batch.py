#!/usr/bin/env python3
"""Benchmark: a Direct Debit Batch for thousands of members, from due members to a validated pain.008 file.

    python3 benchmarks/sepa_batch.py --bench /opt/frappe-bench --site SITE [--members 4700]

Inserts --members members with a monthly contribution and an Active mandate (a multi-row INSERT:
the fixture, not the code measured), then times what an administrator's three clicks do:
fill_batch (select the members due, write the entries, audit), generate_file (sepaxml builds the
pain.008.001.02 file and validates it against the XSD, stored as a private File) and the
preview. Afterwards the file is validated once more with lxml against the same XSD, and its
group-header count and control sum are compared with the members due and the sum of their
contributions. Then the pre-notification job body runs inline for the batch (one Email Queue row,
entry update and audit event per member, committed per chunk; nothing is sent: the rows are
deleted afterwards). Prints the figures; target: the whole batch in under 30 s. Removes its
members, mandates, batch and queued mails afterwards (its audit rows stay: the log is append-only).
"""

import time
from decimal import Decimal

from bench_env import bench_arguments, reexec_in_bench

TARGET_S = 30
CREDITOR = {"creditor_name": "Vereniging Benchmark", "creditor_iban": "NL91ABNA0417164300", "creditor_bic": "",
	"creditor_identifier": "NL69ZZZ123456780000", "max_collection_amount": 500}
DEBTOR_IBANS = ("NL25RABO0497465075", "NL39ASNB7975432319", "NL20INGB0001234567", "NL02ABNA0123456789")


def make_mandated_members(count: int) -> tuple[list[str], int]:
	"""Members (monthly, 5.00-14.99 euro) and their Active mandates; return names and the total in cents."""
	import frappe
	from frappe.utils import now_datetime

	from verenigingen.core.sepa.accounts import derive_bic, mask_iban

	now, prefix = now_datetime(), f"SB{frappe.generate_hash(length=4).upper()}"
	members, mandates, total = [], [], 0
	for i in range(count):
		name, iban, cents = f"{prefix}{i:05d}", DEBTOR_IBANS[i % len(DEBTOR_IBANS)], 500 + i % 1000
		total += cents
		members.append((name, name, "Lid", f"Benchmark {i}", f"Lid Benchmark {i}", f"{name.lower()}@example.nl",
			"Active", iban, cents / 100, "Monthly", "2024-01-15", now, now, "Administrator", "Administrator"))
		mandates.append((f"VER-{name}-1", f"VER-{name}-1", name, iban, mask_iban(iban), derive_bic(iban),
			"2024-01-15", "Active", "FRST" if i % 2 else "RCUR", now, now, "Administrator", "Administrator"))
	frappe.db.bulk_insert("Member", ("name", "member_id", "first_name", "last_name", "full_name", "email", "status",
		"iban", "contribution_amount", "contribution_period", "member_since", "creation", "modified", "owner",
		"modified_by"), members, chunk_size=1000)
	frappe.db.bulk_insert("SEPA Mandate", ("name", "mandate_reference", "member", "iban", "iban_masked", "bic",
		"signature_date", "status", "sequence_type", "creation", "modified", "owner", "modified_by"), mandates,
		chunk_size=1000)
	frappe.db.commit()
	return [row[0] for row in members], total


def run_batch(collection_date) -> dict:
	"""The measured part: fill, generate (with sepaxml's schema validation), preview."""
	import frappe

	from verenigingen.sepa.collections import fill_batch, generate_file, preview

	timings = {}
	started = time.monotonic()
	batch = frappe.get_doc({"doctype": "Direct Debit Batch", "collection_date": collection_date}).insert()
	fill_batch(batch.name)
	timings["fill_s"] = time.monotonic() - started
	generate_file(batch.name)
	timings["generate_s"] = time.monotonic() - started - timings["fill_s"]
	totals = preview(frappe.get_doc("Direct Debit Batch", batch.name))
	frappe.db.commit()
	timings["wall_s"] = time.monotonic() - started
	return {"batch": batch.name, "totals": totals, **timings}


def check_file(batch_name: str) -> dict:
	"""lxml against the shipped XSD, and the file's own totals."""
	import frappe
	import sepaxml
	from lxml import etree

	from verenigingen.core.sepa.pain008 import read_totals

	file = frappe.get_doc("File", frappe.db.get_value("Direct Debit Batch", batch_name, "xml_file"))
	xml = file.get_content()
	xml = xml if isinstance(xml, bytes) else xml.encode()
	xsd = etree.XMLSchema(etree.parse(f"{sepaxml.__path__[0]}/schemas/pain.008.001.02.xsd"))
	return {"lxml_valid": xsd.validate(etree.fromstring(xml)), "bytes": len(xml), **read_totals(xml)}


def run_notifications(batch_name: str) -> dict:
	"""The pre-notification job body for the whole batch (as a `long` worker runs it), timed."""
	import frappe

	from verenigingen.sepa.prenotification import send_notifications
	from verenigingen.tests.factories import make_default_outgoing_email_account

	make_default_outgoing_email_account()
	frappe.db.commit()
	started = time.monotonic()
	result = send_notifications(batch_name)
	seconds = time.monotonic() - started
	queued = frappe.db.count("Email Queue", {"reference_doctype": "Direct Debit Batch", "reference_name": batch_name})
	return {**result, "seconds": seconds, "queued": queued}


def cleanup(names: list[str], batch_name: str | None) -> None:
	import frappe

	for start in range(0, len(names), 1000):
		chunk = names[start : start + 1000]
		frappe.db.delete("SEPA Mandate", {"member": ("in", chunk)})
		frappe.db.delete("Member", {"name": ("in", chunk)})
	if batch_name:
		mails = frappe.get_all("Email Queue", filters={"reference_name": batch_name}, pluck="name")
		for start in range(0, len(mails), 1000):
			frappe.db.delete("Email Queue Recipient", {"parent": ("in", mails[start : start + 1000])})
			frappe.db.delete("Email Queue", {"name": ("in", mails[start : start + 1000])})
		frappe.db.delete("Direct Debit Batch Entry", {"parent": batch_name})
		frappe.db.delete("Direct Debit Batch", batch_name)
	frappe.db.commit()


def main():
	args = bench_arguments(__doc__.splitlines()[0]).parse_args()
	reexec_in_bench(args.bench, __file__)
	import frappe
	from frappe.utils import add_months, get_first_day, today

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()  # as Administrator, like `bench execute`: a benchmark fixture run by the bench owner
	settings = frappe.get_single("Verenigingen Settings")
	old = {key: settings.get(key) for key in CREDITOR}
	settings.update(CREDITOR)
	settings.save()
	names, expected_cents = make_mandated_members(args.members)
	result = None
	try:
		result = run_batch(add_months(get_first_day(today()), 1))
		mine = frappe.db.count("Direct Debit Batch Entry", {"parent": result["batch"], "member": ("like", names[0][:6] + "%")})
		checked = check_file(result["batch"])
		print(f"members with a mandate: {len(names)}; entries (all due members on the site): {result['totals']['count']}; "
			f"of them benchmark members: {mine}")
		print(f"fill: {result['fill_s']:.1f} s; generate + XSD (sepaxml/xmlschema): {result['generate_s']:.1f} s; "
			f"wall: {result['wall_s']:.1f} s (target < {TARGET_S} s)")
		print(f"file: {checked['bytes']:,} bytes; lxml XSD valid: {checked['lxml_valid']}; "
			f"header NbOfTxs {checked['header_count']} / CtrlSum {checked['header_sum']}; "
			f"transactions {checked['count']} / sum {checked['sum']}; preview {result['totals']['control_sum']}")
		ok = (checked["lxml_valid"] and checked["header_count"] == checked["count"] == result["totals"]["count"]
			and checked["header_sum"] == checked["sum"] == Decimal(result["totals"]["control_sum"])
			and mine == len(names) and result["wall_s"] < TARGET_S)
		print(f"benchmark members' contributions: {Decimal(expected_cents) / 100}; verdict: {'PASS' if ok else 'FAIL'}")
		notified = run_notifications(result["batch"])
		print(f"pre-notifications: {notified['queued']} Email Queue rows for {result['totals']['count']} entries "
			f"in {notified['seconds']:.1f} s ({notified['queued'] / max(notified['seconds'], 0.001):.0f}/s); "
			f"status {notified['notification_status']}, not e-mailed {notified['not_emailed']}")
	finally:
		cleanup(names, result and result["batch"])
		settings.reload()
		settings.update(old)
		settings.save()
		frappe.db.commit()
		frappe.destroy()


if __name__ == "__main__":
	main()
