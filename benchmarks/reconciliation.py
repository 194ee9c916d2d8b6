#!/usr/bin/env python3
"""Benchmark: the Mijnrood Reconciliation report on 50,000 members.

    python3 benchmarks/reconciliation.py --bench /opt/frappe-bench --site SITE [--members 50000]

Inserts the members, a User (member role) for most of them, an Active mandate for most of those
with an IBAN, and an admin-list CSV export of them with a few rows more and a few members fewer,
all with multi-row INSERTs in one transaction (a fixture, not the code measured); then times
reconcile_site (first call: parse the file and cache it; second: cached) and the report's
execute() as a Verenigingen Manager would run it. Everything is rolled back and the export file
removed at the end: the site keeps no benchmark rows. Target: the cached report under 10 s.
"""

import csv
import io
import os
import time

from bench_env import bench_arguments, reexec_in_bench

TARGET_REPORT_S = 10
HEADER = [
	"Lidnr.", "Voornaam", "Tussenvoegsel", "Achternaam", "Geboortedatum", "Inschrijfdataum", "Groep",
	"E-mailadres", "Telefoonnr.", "Adres", "Plaats", "Postcode", "Landcode", "IBAN", "Contributiebedrag",
	"Betaalperiode", "Betaald", "Mollie CID", "Mollie SID", "Privacybeleid geaccepteerd", "Lidmaatschapstype",
]
IBAN = "NL39ASNB7975432319"


def member_rows(prefix: str, first_id: int, count: int, now) -> list[tuple]:
	rows = []
	for n in range(count):
		member_id = str(first_id + n)  # Lidnrs are numbers
		email = f"{prefix.lower()}.{member_id}@example.nl"
		user = email if n % 50 else None  # 2% without a login
		iban = IBAN if n % 4 == 0 else None
		rows.append((member_id, member_id, "Anna", "van", f"Haan{n}", f"Anna van Haan{n}", email, "Active", user,
			iban, 10 if iban else 0, now, now, "Administrator", "Administrator"))
	return rows


def insert_fixture(prefix: str, first_id: int, count: int) -> list[tuple]:
	import frappe
	from frappe.utils import now_datetime

	from verenigingen.permissions import MEMBER_ROLE

	now = now_datetime()
	members = member_rows(prefix, first_id, count, now)
	frappe.db.bulk_insert("Member", ("name", "member_id", "first_name", "tussenvoegsel", "last_name", "full_name",
		"email", "status", "user", "iban", "contribution_amount", "creation", "modified", "owner", "modified_by"),
		members, chunk_size=2000)
	users = [(m[8], m[8], "Anna", "van", m[4], 1, "Website User", now, now, "Administrator", "Administrator")
		for m in members if m[8]]
	frappe.db.bulk_insert("User", ("name", "email", "first_name", "middle_name", "last_name", "enabled", "user_type",
		"creation", "modified", "owner", "modified_by"), users, chunk_size=2000)
	roles = [(f"{prefix}R{n}", user[0], "User", "roles", MEMBER_ROLE, now, now, "Administrator", "Administrator")
		for n, user in enumerate(users)]
	frappe.db.bulk_insert("Has Role", ("name", "parent", "parenttype", "parentfield", "role", "creation", "modified",
		"owner", "modified_by"), roles, chunk_size=2000)
	with_iban = [m for m in members if m[9]]
	mandates = [(f"VER-{m[0]}-1", m[0], "Active", m[9], f"VER-{m[0]}-1", now, now, "Administrator", "Administrator")
		for n, m in enumerate(with_iban) if n % 10]  # 10% of the IBANs without a mandate
	frappe.db.bulk_insert("SEPA Mandate", ("name", "member", "status", "iban", "mandate_reference", "creation",
		"modified", "owner", "modified_by"), mandates, chunk_size=2000)
	return members


def export_bytes(members: list[tuple], extra: int, prefix: str, first_new_id: int) -> bytes:
	"""The export: every member but the last ``extra``, plus ``extra`` new ones."""
	buffer = io.StringIO(newline="")
	writer = csv.writer(buffer, lineterminator="\r\n")
	writer.writerow(HEADER)
	lines = [(m[1], m[4], m[6], m[9] or "", "10,00" if m[9] else "") for m in members[:-extra]]
	lines += [(str(first_new_id + n), f"Nieuw{n}", f"{prefix.lower()}.n{n}@example.nl", "", "") for n in range(extra)]
	for member_id, last_name, email, iban, amount in lines:
		writer.writerow([member_id, "Anna", "van", last_name, "7-7-1990", "17-3-2020", "", email, "", "", "", "",
			"NL", iban, amount, "Jaarlijks" if amount else "", "", "", "", "Ja", "Lid"])
	return buffer.getvalue().encode("utf-8")


def timed(function):
	started = time.perf_counter()
	result = function()
	return time.perf_counter() - started, result


def main():
	parser = bench_arguments(__doc__.splitlines()[0])
	parser.set_defaults(members=50_000)
	args = parser.parse_args()
	reexec_in_bench(args.bench, __file__)
	import frappe

	from verenigingen.core.reconciliation import count_by_kind, reconcile
	from verenigingen.member_import import DOCTYPE
	from verenigingen.reconciliation.export import CACHE_PREFIX, read_entries
	from verenigingen.reconciliation.findings import reconcile_site
	from verenigingen.reconciliation.site import load_site_state
	from verenigingen.verenigingen.report.mijnrood_reconciliation import mijnrood_reconciliation as report

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()  # as Administrator, like `bench execute`: a benchmark fixture run by the bench owner
	path = None
	try:
		prefix = "BR" + frappe.generate_hash(length=4).upper()
		first_id = 700_000_000 + int(prefix[2:], 16) * 100_000
		fixture_s, members = timed(lambda: insert_fixture(prefix, first_id, args.members))
		content = export_bytes(members, 100, prefix, first_id + args.members)
		file = frappe.get_doc({"doctype": "File", "file_name": f"{prefix}.csv", "content": content,
			"is_private": 1}).insert()
		path = file.get_full_path()
		doc = frappe.get_doc({"doctype": DOCTYPE, "import_file": file.file_url}).insert()
		frappe.db.set_value(DOCTYPE, doc.name, {"status": "Completed", "finished_at": frappe.utils.now_datetime()})
		site_s, site = timed(load_site_state)
		entries_s, (entries, _note) = timed(lambda: read_entries(doc.name))
		core_s, _ = timed(lambda: reconcile(entries, site))
		frappe.cache.delete_keys(CACHE_PREFIX)
		first_s, result = timed(lambda: reconcile_site(doc.name))
		cached_s, _ = timed(lambda: reconcile_site(doc.name))
		report_s, answer = timed(lambda: report.execute({"mijnrood_import": doc.name}))
		kind_s, _ = timed(lambda: report.execute({"mijnrood_import": doc.name, "kind": "Member without User"}))
		print(f"{args.members} members, {len(content) // 1024} KiB export, fixture inserted in {fixture_s:.1f} s;"
			f" site holds {frappe.db.count('Member')} members")
		print("findings (the site's other members included):", dict(count_by_kind(result.findings)))
		print(f"  load_site_state (5 queries)       {site_s:6.2f} s")
		print(f"  read_entries (read + parse file)  {entries_s:6.2f} s  ({len(entries)} rows)")
		print(f"  core reconcile                    {core_s:6.2f} s")
		print(f"reconcile_site first (parse + cache) {first_s:6.2f} s")
		print(f"reconcile_site cached               {cached_s:6.2f} s")
		verdict = "ok" if report_s < TARGET_REPORT_S else f"OVER target {TARGET_REPORT_S}"
		print(f"report execute, all kinds           {report_s:6.2f} s  ({len(answer[1])} rows)  {verdict}")
		print(f"report execute, one kind            {kind_s:6.2f} s")
	finally:
		frappe.db.rollback()  # leave no benchmark rows behind
		if path and os.path.exists(path):
			os.remove(path)
		frappe.destroy()


if __name__ == "__main__":
	main()
