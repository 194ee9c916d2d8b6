"""A corpus of malformed and hostile uploads, generated at test time instead of stored as fixtures."""

import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from verenigingen.core.mijnrood.limits import MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS, MAX_ZIP_ENTRIES

from .builders import (
	ADMIN_HEADER,
	DIVISIONS_CSV,
	MEMBER_HEADER,
	admin_csv,
	admin_row,
	admin_xlsx,
	csv_bytes,
	everything_files,
	member_line,
	xlsx_bytes,
	zip_bytes,
)

FILE = "file"
ROW_ERROR = "row-error"
ROW_WARNING = "row-warning"
# the parser accepts these rows; the Member's field limits refuse them
MEMBER_ERROR = "member-error"


@dataclass(frozen=True)
class Case:
	"""One malformed upload and the verdict it must get."""

	id: str
	filename: str
	make: Callable[[], bytes]
	kind: str
	expected: str


def _garbage(size: int = 4096) -> bytes:
	"""Deterministic random bytes, NULs included."""
	return random.Random(42).randbytes(size)


def _header_and_one_row(header: list) -> bytes:
	"""A CSV with a custom header and one row as wide as it."""
	return csv_bytes([header, ["1"] * len(header)])


def _encrypted_zip(entries: dict) -> bytes:
	"""A ZIP whose entries claim to be encrypted (flag bit 0; zipfile cannot write that itself)."""
	data = bytearray(zip_bytes(entries, zipfile.ZIP_STORED))
	for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
		start = data.find(signature)
		while start != -1:
			data[start + flag_offset] |= 0x1
			start = data.find(signature, start + 4)
	return bytes(data)


def _bomb(name: str, extra: dict | None = None) -> bytes:
	"""8 MiB of zeros that deflate to a few KiB: the shape of a zip bomb."""
	return zip_bytes({**(extra or {}), name: bytes(8 * 1024 * 1024)})


def _many_entries() -> bytes:
	"""One entry more than allowed."""
	return zip_bytes({f"t{i}.csv": b"" for i in range(MAX_ZIP_ENTRIES + 1)}, zipfile.ZIP_STORED)


def _many_rows() -> bytes:
	"""One data row more than allowed (rows are tiny: only the required cells)."""
	header = ["Lidnr.", "Voornaam", "Achternaam", "E-mailadres"]
	lines = [",".join(header)] + [f"{i},A,B,a{i}@x.nl" for i in range(1, MAX_ROWS + 2)]
	return "\n".join(lines).encode()


def _everything(**overrides: bytes) -> bytes:
	"""A zipped export-everything with some tables replaced."""
	return zip_bytes({**everything_files(member_line()), **overrides})


def _workbook_parts(sheet: bytes) -> dict:
	"""The minimal parts that make a ZIP look like a workbook."""
	return {
		"[Content_Types].xml": b"<Types/>",
		"xl/workbook.xml": b"<workbook/>",
		"xl/worksheets/sheet1.xml": sheet,
	}


def _truncated_xlsx() -> bytes:
	"""A valid workbook cut in half, as an interrupted download leaves it."""
	data = admin_xlsx(admin_row())
	return data[: len(data) // 2]


def file_cases() -> list:
	"""Uploads that must be refused as a whole with a clear MijnroodFileError."""
	return [
		Case("empty", "leden.csv", lambda: b"", FILE, "is empty"),
		Case("whitespace-only", "leden.csv", lambda: b" \r\n\r\n ", FILE, "is empty"),
		Case("binary-garbage", "leden.csv", _garbage, FILE, "not"),
		Case(
			"nul-bytes",
			"leden.csv",
			lambda: admin_csv(admin_row()).replace(b"Anna", b"An\x00a"),
			FILE,
			"not a text",
		),
		Case(
			"undefined-cp1252-bytes",
			"leden.csv",
			lambda: b"Lidnr.;Voornaam\r\n1;\x81\x8d\x90\r\n",
			FILE,
			"not text in",
		),
		Case(
			"bom-but-not-utf8",
			"leden.csv",
			lambda: b"\xef\xbb\xbfLidnr.;Voornaam\r\n1;\xe9\r\n",
			FILE,
			"not text in UTF-8",
		),
		Case(
			"pdf-renamed-csv",
			"leden.csv",
			lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x0c",
			FILE,
			"not a text",
		),
		Case("header-only-csv", "leden.csv", lambda: admin_csv(), FILE, "has a header row but no members"),
		Case("header-only-xlsx", "leden.xlsx", lambda: admin_xlsx(), FILE, "has a header row but no members"),
		Case("empty-xlsx", "leden.xlsx", lambda: xlsx_bytes([]), FILE, "is empty"),
		Case(
			"missing-email-column",
			"leden.csv",
			lambda: admin_csv(header=ADMIN_HEADER[:7]),
			FILE,
			"missing required column(s): E-mailadres",
		),
		Case(
			"unrelated-csv",
			"leden.csv",
			lambda: b"naam,bedrag\nKoffie,3\n",
			FILE,
			"missing required column(s): Lidnr., Voornaam",
		),
		Case("json-file", "leden.csv", lambda: b'{"members": []}', FILE, "missing required column"),
		Case(
			"duplicate-column",
			"leden.csv",
			lambda: _header_and_one_row(ADMIN_HEADER + ["Voornaam"]),
			FILE,
			"column 'Voornaam' appears twice",
		),
		Case(
			"duplicate-column-other-spelling",
			"leden.csv",
			lambda: _header_and_one_row(ADMIN_HEADER + ["E-MAILADRES."]),
			FILE,
			"are the same column",
		),
		Case(
			"both-inschrijfdatum-spellings",
			"leden.csv",
			lambda: _header_and_one_row(ADMIN_HEADER + ["Inschrijfdatum"]),
			FILE,
			"hold the same data",
		),
		Case(
			"too-many-columns",
			"leden.csv",
			lambda: _header_and_one_row(ADMIN_HEADER + [f"x{i}" for i in range(MAX_COLUMNS)]),
			FILE,
			"more than 200 columns",
		),
		Case("too-many-rows", "leden.csv", _many_rows, FILE, f"more than {MAX_ROWS} rows"),
		Case(
			"unbalanced-quote",
			"leden.csv",
			lambda: admin_csv(admin_row()) + b'1001,"Bob,x\r\n',
			FILE,
			"cannot be read as CSV",
		),
		Case(
			"field-over-csv-limit",
			"leden.csv",
			lambda: admin_csv(admin_row(adres="x" * 200_000)),
			FILE,
			"cannot be read as CSV",
		),
		Case("file-too-large", "leden.csv", lambda: b"a" * (MAX_FILE_BYTES + 1), FILE, "larger than 20 MB"),
		Case(
			"old-xls", "leden.xls", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), FILE, "old .xls"
		),
		Case(
			"csv-named-xlsx",
			"leden.xlsx",
			lambda: admin_csv(admin_row()),
			FILE,
			"not a readable Excel workbook",
		),
		Case("truncated-xlsx", "leden.xlsx", _truncated_xlsx, FILE, "not a readable Excel workbook"),
		Case(
			"xlsx-zip-of-junk",
			"leden.xlsx",
			lambda: zip_bytes({"junk.txt": _garbage(100)}),
			FILE,
			"not a readable Excel workbook",
		),
		Case(
			"xlsx-junk-workbook-xml",
			"leden.xlsx",
			lambda: zip_bytes(_workbook_parts(b"<<<")),
			FILE,
			"not a readable Excel workbook",
		),
		Case(
			"xlsx-bomb",
			"leden.xlsx",
			lambda: _bomb("xl/worksheets/sheet2.xml", _workbook_parts(b"")),
			FILE,
			"zip bomb",
		),
		Case("zip-bomb", "export.zip", lambda: _bomb("admin_member.csv"), FILE, "zip bomb"),
		Case("zip-too-many-entries", "export.zip", _many_entries, FILE, f"more than {MAX_ZIP_ENTRIES} files"),
		Case(
			"zip-path-traversal",
			"export.zip",
			lambda: zip_bytes({"../admin_member.csv": b"id\n"}),
			FILE,
			"unsafe file name",
		),
		Case(
			"zip-absolute-path",
			"export.zip",
			lambda: zip_bytes({"/etc/admin_member.csv": b"id\n"}),
			FILE,
			"unsafe file name",
		),
		Case(
			"zip-drive-letter",
			"export.zip",
			lambda: zip_bytes({"C:\\tmp\\admin_member.csv": b"id\n"}),
			FILE,
			"unsafe file name",
		),
		Case(
			"zip-backslash-traversal",
			"export.zip",
			lambda: zip_bytes({"x\\..\\..\\admin_member.csv": b"id\n"}),
			FILE,
			"unsafe file name",
		),
		Case(
			"zip-encrypted",
			"export.zip",
			lambda: _encrypted_zip(everything_files(member_line())),
			FILE,
			"password-protected",
		),
		Case(
			"zip-nested-zip",
			"export.zip",
			lambda: zip_bytes({**everything_files(member_line()), "inner.zip": zip_bytes({"a": b"b"})}),
			FILE,
			"another ZIP",
		),
		Case(
			"zip-nested-zip-disguised",
			"export.zip",
			lambda: _everything(**{"admin_member.csv": zip_bytes({"a": b"b"})}),
			FILE,
			"another ZIP",
		),
		Case(
			"zip-only-nested-folders",
			"export.zip",
			lambda: zip_bytes({f"a/b/{n}": d for n, d in everything_files(member_line()).items()}),
			FILE,
			"no admin_member.csv",
		),
		Case("zip-empty", "export.zip", lambda: zip_bytes({}), FILE, "no admin_member.csv"),
		Case(
			"zip-of-junk",
			"export.zip",
			lambda: zip_bytes({"notes.txt": b"hello"}),
			FILE,
			"no admin_member.csv",
		),
		Case(
			"zip-two-exports",
			"export.zip",
			lambda: zip_bytes({"a/admin_member.csv": b"id\n", "b/admin_member.csv": b"id\n"}),
			FILE,
			"more than one admin_member.csv",
		),
		Case(
			"zip-missing-divisions",
			"export.zip",
			lambda: zip_bytes({"admin_member.csv": b"id\n", "admin_membershipstatus.csv": b"id\n"}),
			FILE,
			"does not contain admin_division.csv",
		),
		Case("zip-truncated", "export.zip", lambda: _everything()[:-40], FILE, "not a readable ZIP"),
		Case("zip-garbage-named-zip", "export.zip", _garbage, FILE, "not a readable ZIP"),
		Case(
			"everything-member-table-empty-file",
			"export.zip",
			lambda: _everything(**{"admin_member.csv": b""}),
			FILE,
			"admin_member.csv is empty",
		),
		Case(
			"everything-missing-email-column",
			"export.zip",
			lambda: _everything(**{"admin_member.csv": b"id,first_name,last_name\n"}),
			FILE,
			"missing required column(s): email",
		),
		Case(
			"everything-status-access-garbage",
			"export.zip",
			lambda: _everything(
				**{"admin_membershipstatus.csv": b"id,name,allowed_access\n1,Lid,misschien\n"}
			),
			FILE,
			"allowed_access of status 1",
		),
		Case(
			"everything-duplicate-division",
			"export.zip",
			lambda: _everything(
				**{"admin_division.csv": DIVISIONS_CSV + b"1,Dubbel,\\N,\\N,\\N,\\N,\\N,\\N,\\N,\\N,1\n"}
			),
			FILE,
			"id 1 occurs twice",
		),
		Case(
			"lone-admin-member-csv",
			"admin_member.csv",
			lambda: csv_bytes([MEMBER_HEADER, member_line()]),
			FILE,
			"single table from export-everything",
		),
	]


def row_cases() -> list:
	"""Uploads that are readable but where a row gets the documented row-level verdict."""
	return [
		Case(
			"cell-10k-chars",
			"leden.csv",
			lambda: admin_csv(admin_row(adres="x" * 10_000)),
			ROW_ERROR,
			"Adres is longer than 1000 characters",
		),
		Case(
			"formula-in-first-name",
			"leden.csv",
			lambda: admin_csv(admin_row(voornaam='=HYPERLINK("http://evil","x")')),
			ROW_ERROR,
			"spreadsheet formula",
		),
		Case(
			"dde-in-last-name",
			"leden.csv",
			lambda: admin_csv(admin_row(achternaam="@SUM(1+1)*cmd|' /C calc'!A0")),
			ROW_ERROR,
			"spreadsheet formula",
		),
		Case(
			"formula-in-xlsx-name",
			"leden.xlsx",
			lambda: admin_xlsx(admin_row(voornaam="-2+3+cmd|' /C calc'!A0")),
			ROW_ERROR,
			"spreadsheet formula",
		),
		Case(
			"real-formula-cell-xlsx",
			"leden.xlsx",
			lambda: xlsx_bytes([ADMIN_HEADER, admin_row(voornaam="=A1")], formulas=True),
			ROW_ERROR,
			"Voornaam is empty",
		),
		Case(
			"html-in-first-name",
			"leden.csv",
			lambda: admin_csv(admin_row(voornaam="<script>alert(1)</script>")),
			ROW_ERROR,
			"HTML",
		),
		Case(
			"html-entity-in-last-name",
			"leden.xlsx",
			lambda: admin_xlsx(admin_row(achternaam="Haan&#x3C;b&#x3E;")),
			ROW_ERROR,
			"HTML",
		),
		Case(
			"extra-cells",
			"leden.csv",
			lambda: admin_csv(admin_row() + ["surplus"]),
			ROW_ERROR,
			"more cells than the header",
		),
		Case(
			"missing-lidnr", "leden.csv", lambda: admin_csv(admin_row(lidnr="")), ROW_ERROR, "Lidnr. is empty"
		),
		Case(
			"text-lidnr",
			"leden.csv",
			lambda: admin_csv(admin_row(lidnr="abc")),
			ROW_ERROR,
			"not a member number",
		),
		Case(
			"duplicate-lidnr",
			"leden.csv",
			lambda: admin_csv(admin_row(7), admin_row(7, email="b@example.nl")),
			ROW_ERROR,
			"duplicate of row 2",
		),
		Case(
			"no-last-name",
			"leden.csv",
			lambda: admin_csv(admin_row(achternaam="  ")),
			ROW_ERROR,
			"Achternaam is empty",
		),
		Case(
			"formula-in-address",
			"leden.csv",
			lambda: admin_csv(admin_row(adres="=1+1")),
			ROW_WARNING,
			"Adres: starts like a spreadsheet formula; not imported",
		),
		Case(
			"html-in-city",
			"leden.csv",
			lambda: admin_csv(admin_row(plaats="<b>Utrecht</b>")),
			ROW_WARNING,
			"Plaats: contains HTML markup; not imported",
		),
		Case(
			"control-chars-in-name",
			"leden.csv",
			lambda: admin_csv(admin_row(voornaam="An\u202ena\x07")),
			ROW_WARNING,
			"invisible control characters removed",
		),
		Case(
			"invalid-date",
			"leden.csv",
			lambda: admin_csv(admin_row(geboortedatum="31-2-1990")),
			ROW_WARNING,
			"is not a date",
		),
		Case(
			"invalid-phone",
			"leden.csv",
			lambda: admin_csv(admin_row(telefoon="bel me")),
			ROW_WARNING,
			"is not a phone number",
		),
	]


def member_field_cases() -> list:
	"""Rows the parser accepts but a Member cannot hold: the plan, judged by the field limits, decides."""

	def one_row(**cells: str) -> Callable[[], bytes]:
		return lambda: admin_csv(admin_row(**cells))

	long_name = "A" * 70
	return [
		Case("first-name-300", "leden.csv", one_row(voornaam="A" * 300), MEMBER_ERROR, "300 characters"),
		Case("last-name-141", "leden.csv", one_row(achternaam="B" * 141), MEMBER_ERROR, "141 characters"),
		Case("infix-141", "leden.csv", one_row(tussenvoegsel="v" * 141), MEMBER_ERROR, "141 characters"),
		Case(
			"full-name-over-140",
			"leden.csv",
			one_row(voornaam=long_name, achternaam=long_name),
			MEMBER_ERROR,
			"145 characters",
		),
		Case(
			"email-with-umlaut",
			"leden.csv",
			one_row(email="zo\u00eb@example.nl"),
			MEMBER_ERROR,
			"not an email address Frappe accepts",
		),
		Case(
			"email-double-dot",
			"leden.csv",
			one_row(email="anna..haan@example.nl"),
			MEMBER_ERROR,
			"not an email address Frappe accepts",
		),
		Case("address-197", "leden.csv", one_row(adres="Kerkstraat " * 18), MEMBER_ERROR, "197 characters"),
		Case("city-141", "leden.csv", one_row(plaats="C" * 141), MEMBER_ERROR, "141 characters"),
		Case("status-300", "leden.csv", one_row(lidmaatschapstype="L" * 300), MEMBER_ERROR, "300 characters"),
		Case(
			"foreign-postcode-150",
			"leden.csv",
			one_row(landcode="BE", postcode="9" * 150),
			MEMBER_ERROR,
			"150 characters",
		),
	]


def all_cases() -> list:
	"""Every case in the corpus that the parser alone judges (``member_field_cases`` needs the plan)."""
	return file_cases() + row_cases()
