#!/usr/bin/env python3
"""Benchmark: a Mijnrood export of N members imported (members only, no accounts) on a real site.

    python3 benchmarks/import_members.py --bench /opt/frappe-bench --site SITE [--members 4700] [--format xlsx]

Writes a synthetic export ("Exporteer alles" as .xlsx, or the Dutch-Excel CSV) with realistic
Dutch data, then times the import job body exactly as a worker runs it (read, parse, plan,
chapters, chunked writes with a commit each), started from Draft, i.e. without a separate
Validate. Runs it a second time with the same file (a re-import must change nothing) and prints
rows/s and wall seconds for both. Deletes its members, chapters and imports afterwards unless
--keep. Not part of CI: it writes thousands of Members into the site.
"""

import csv
import io
import random
import sys
import time
import unicodedata
from datetime import date, timedelta

from bench_env import bench_arguments, reexec_in_bench

TARGET_SECONDS = 60
FIRST_MEMBER_ID = 700000
FIRST_NAMES = (
	"Anna",
	"Daan",
	"Sanne",
	"Bram",
	"Fleur",
	"Jesse",
	"Noor",
	"Thijs",
	"Eva",
	"Lucas",
	"Zoë",
	"Sem",
	"Iris",
	"Ruben",
	"Fatima",
	"Mohammed",
	"Çağla",
	"Yusuf",
	"Lieke",
	"Joris",
	"Anne-Marie",
	"Hans Peter",
)
INFIXES = ("", "", "", "van", "de", "van der", "van den", "ter", "ten", "in 't", "'t", "van de")
LAST_NAMES = (
	"Jansen",
	"Bakker",
	"Visser",
	"Smit",
	"Meijer",
	"Mulder",
	"Bos",
	"Vos",
	"Peters",
	"Hendriks",
	"Dijkstra",
	"Öztürk",
	"Nguyen",
	"Berg",
	"Wit",
	"Kok",
	"Brouwer",
	"Haan",
	"Veen",
	"Koster",
	"Jacobs",
)
STREETS = (
	"Kerkstraat",
	"Dorpsstraat",
	"Molenweg",
	"Prinsengracht",
	"Stationsweg",
	"Lange Nieuwstraat",
	"Markt",
)
CITIES = (
	"Amsterdam",
	"Rotterdam",
	"Utrecht",
	"Groningen",
	"Nijmegen",
	"Leiden",
	"Eindhoven",
	"Zwolle",
	"Tilburg",
	"Haarlem",
	"Arnhem",
	"Maastricht",
)
BANKS = ("ABNA", "INGB", "RABO", "SNSB", "ASNB", "TRIO", "KNAB", "BUNQ")
PERIODS = ("Maandelijks", "Per kwartaal", "Jaarlijks")


def parse_args():
	parser = bench_arguments(__doc__.splitlines()[0])
	parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
	parser.add_argument("--keep", action="store_true", help="leave the imported members in the site")
	return parser.parse_args()


def dutch_iban(rng: random.Random) -> str:
	from stdnum import iban

	bban = rng.choice(BANKS) + "".join(rng.choice("0123456789") for _ in range(10))
	return "NL" + iban.calc_check_digits("NL00" + bban) + bban


def member_row(number: int, rng: random.Random) -> list:
	first, infix, last = rng.choice(FIRST_NAMES), rng.choice(INFIXES), rng.choice(LAST_NAMES)
	member_id = FIRST_MEMBER_ID + number
	local = f"{first}.{infix}{last}".lower().replace(" ", "").replace("'", "")
	# addresses are ASCII (Frappe's Email check refuses "zoë@…", so the import refuses such a row)
	local = unicodedata.normalize("NFKD", local).encode("ascii", "ignore").decode()
	born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))
	joined = date(2005, 1, 1) + timedelta(days=rng.randrange(365 * 20))
	postcode = f"{rng.randrange(1000, 9999)} {rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}"
	return [
		member_id,
		first,
		infix,
		last,
		born,
		joined,
		rng.choice(CITIES[:8]),
		f"{local}.{member_id}@bench.example.nl",
		f"06-{rng.randrange(10**7, 10**8)}",
		f"{rng.choice(STREETS)} {rng.randrange(1, 300)}",
		rng.choice(CITIES),
		postcode,
		"NL",
		dutch_iban(rng) if rng.random() < 0.8 else "",
		rng.choice((5.0, 7.5, 10.0, 25.0)),
		rng.choice(PERIODS),
		rng.choice(("Ja", "Nee")),
		f"cst_{rng.randrange(16**10):010x}",
		f"sub_{rng.randrange(16**10):010x}",
		"Ja",
		rng.choice(("Lid", "Lid", "Lid", "Aspirant")),
	]


def export_bytes(count: int, file_format: str) -> tuple[bytes, str]:
	"""A Mijnrood admin export of ``count`` members: .xlsx as Mijnrood writes it, or Dutch-Excel CSV."""
	from verenigingen.core.mijnrood.columns import ADMIN_HEADERS

	rng = random.Random(4700)
	rows = [member_row(number, rng) for number in range(count)]
	if file_format == "csv":
		buffer = io.StringIO(newline="")
		writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
		writer.writerow(ADMIN_HEADERS)
		for row in rows:
			writer.writerow([_dutch_cell(cell) for cell in row])
		return buffer.getvalue().encode("cp1252", errors="replace"), "ledenexport_bench.csv"
	import openpyxl

	workbook = openpyxl.Workbook(write_only=True)
	sheet = workbook.create_sheet("Leden")
	sheet.append(list(ADMIN_HEADERS))
	for row in rows:
		sheet.append(row)
	buffer = io.BytesIO()
	workbook.save(buffer)
	return buffer.getvalue(), "Export Ledendatabase bench.xlsx"


def _dutch_cell(cell):
	if isinstance(cell, date):
		return f"{cell.day}-{cell.month}-{cell.year}"
	if isinstance(cell, float):
		return f"{cell:.2f}".replace(".", ",")
	return cell


def timed_import(content: bytes, filename: str) -> tuple[float, object]:
	import frappe

	from verenigingen.core import import_status
	from verenigingen.member_import import DOCTYPE
	from verenigingen.member_import.importer import run_import
	from verenigingen.member_import.runs import begin_run

	file = frappe.get_doc(
		{"doctype": "File", "file_name": filename, "content": content, "is_private": 1}
	).insert()
	doc = frappe.get_doc(
		{"doctype": DOCTYPE, "import_file": file.file_url, "create_user_accounts": 0}
	).insert()
	frappe.db.commit()
	started = time.perf_counter()
	run_import(doc.name, begin_run(doc.name, import_status.IMPORTING))
	seconds = time.perf_counter() - started
	return seconds, frappe.get_doc(DOCTYPE, doc.name)


def report(label: str, seconds: float, doc) -> None:
	rate = doc.total_rows / seconds if seconds else 0
	print(
		f"{label}: {doc.total_rows} rows in {seconds:.1f} s ({rate:.0f} rows/s); status {doc.status}; "
		f"created {doc.created_count}, updated {doc.updated_count}, unchanged {doc.unchanged_count}, "
		f"errors {doc.error_count}"
	)


def cleanup(count: int, chapters_before: set, import_names: list) -> None:
	import frappe

	from verenigingen.member_import import DOCTYPE

	ids = [str(FIRST_MEMBER_ID + number) for number in range(count)]
	for start in range(0, len(ids), 1000):
		frappe.db.delete("Member", {"member_id": ("in", ids[start : start + 1000])})
	for chapter in set(frappe.get_all("Chapter", pluck="name")) - chapters_before:
		frappe.db.delete("Chapter", {"name": chapter})
	for name in import_names:
		frappe.db.delete("File", {"attached_to_doctype": DOCTYPE, "attached_to_name": name})
		frappe.db.delete(DOCTYPE, {"name": name})
	frappe.db.commit()


def main() -> int:
	args = parse_args()
	reexec_in_bench(args.bench, __file__)
	import frappe

	frappe.init(site=args.site)
	frappe.connect()
	try:
		content, filename = export_bytes(args.members, args.format)
		print(f"{filename}: {args.members} members, {len(content) / 1024:.0f} KiB")
		chapters_before = set(frappe.get_all("Chapter", pluck="name"))
		first_seconds, first = timed_import(content, filename)
		report("first import", first_seconds, first)
		again_seconds, again = timed_import(content, filename)
		report("re-import (no-op)", again_seconds, again)
		met = (
			first_seconds <= TARGET_SECONDS
			and first.created_count == args.members
			and again.updated_count == 0
		)
		print(f"target <= {TARGET_SECONDS} s for {args.members} members: {'MET' if met else 'NOT MET'}")
		if not args.keep:
			cleanup(args.members, chapters_before, [first.name, again.name])
		return 0 if met else 1
	finally:
		frappe.destroy()


if __name__ == "__main__":
	sys.exit(main())
