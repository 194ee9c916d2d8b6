"""Small in-memory export files for tests: admin-list CSV/XLSX rows and export-everything folders."""

import csv
import io
import zipfile
from datetime import datetime

import openpyxl

from verenigingen.core.mijnrood.columns import ADMIN_HEADERS
from verenigingen.demo import mijnrood_files

ADMIN_HEADER = list(ADMIN_HEADERS)
VALID_IBAN = "NL39ASNB7975432319"
MEMBER_HEADER = list(mijnrood_files.MEMBER_HEADER)
DIVISIONS_CSV = (
	b"id,name,phone,city,address,post_code,facebook,instagram,twitter,email_id,can_be_selected_on_application\n"
	b"1,Amsterdam,\\N,Amsterdam,\\N,\\N,\\N,\\N,\\N,\\N,1\n"
)
STATUSES_CSV = b"id,name,allowed_access\n1,Lid,1\n3,Opgezegd,0\n"


def admin_row(number: int = 1000, **fields: object) -> list:
	"""One valid admin-list row; keyword arguments override cells by header (spaces as ``_``)."""
	row = dict(
		zip(
			ADMIN_HEADER,
			[number, "Anna", "van", "Haan", "7-7-2006", "17-3-2025", "Nijmegen", f"anna{number}@example.nl"]
			+ ["06-12345678", "Kerkstraat 1", "Haarlem", "2082 PB", "NL", VALID_IBAN, "25,00", "Jaarlijks"]
			+ ["Ja", "cst_abc", "sub_abc", "Ja", "Lid"],
			strict=True,
		)
	)
	for key, value in fields.items():
		row[_header_for(key)] = value
	return [row[header] for header in ADMIN_HEADER]


_ALIASES = {"email": "E-mailadres", "telefoon": "Telefoonnr.", "privacy": "Privacybeleid geaccepteerd"}


def _header_for(key: str) -> str:
	"""Find the admin header a keyword stands for (``lidnr`` for ``Lidnr.``, ``email``)."""
	if key in _ALIASES:
		return _ALIASES[key]
	wanted = key.replace("_", " ").lower()
	for header in ADMIN_HEADER:
		if header.lower().rstrip(".") == wanted:
			return header
	raise KeyError(key)


def csv_bytes(rows: list, delimiter: str = ",", encoding: str = "utf-8", terminator: str = "\r\n") -> bytes:
	"""Write rows (header first) as CSV bytes."""
	buffer = io.StringIO(newline="")
	csv.writer(buffer, delimiter=delimiter, lineterminator=terminator).writerows(rows)
	return buffer.getvalue().encode(encoding)


def admin_csv(*rows: list, header: list | None = None, **dialect: str) -> bytes:
	"""An admin-list CSV with the standard header unless another is given."""
	return csv_bytes([header or ADMIN_HEADER, *rows], **dialect)


def xlsx_bytes(rows: list, formulas: bool = False) -> bytes:
	"""Write rows (header first) as a workbook; text starting with ``=`` stays text unless ``formulas``."""
	workbook = openpyxl.Workbook()
	sheet = workbook.active
	for row in rows:
		sheet.append(row)
		for cell in sheet[sheet.max_row]:
			if isinstance(cell.value, str) and not formulas:
				cell.data_type = "s"
	buffer = io.BytesIO()
	workbook.save(buffer)
	return buffer.getvalue()


def admin_xlsx(*rows: list) -> bytes:
	"""An admin-list workbook with the standard header."""
	return xlsx_bytes([ADMIN_HEADER, *rows])


def zip_bytes(entries: dict, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
	"""Zip ``{name: bytes}`` in memory."""
	buffer = io.BytesIO()
	with zipfile.ZipFile(buffer, "w", compression) as archive:
		for name, data in entries.items():
			archive.writestr(name, data)
	return buffer.getvalue()


def member_line(number: int = 1000, **fields: str) -> list:
	"""One admin_member.csv row (as cells); keyword arguments override columns."""
	row = dict.fromkeys(MEMBER_HEADER, "\\N")
	row.update(
		id=str(number),
		division_id="1",
		first_name="Anna",
		last_name="Haan",
		email=f"anna{number}@example.nl",
		registration_time="2025-03-17",
		contribution_period="2",
		contribution_per_period_in_cents="2500",
		roles="[]",
		country="NL",
		accept_use_personal_information="1",
		current_membership_status_id="1",
		middle_name="van",
	)
	row.update(fields)
	return [row[column] for column in MEMBER_HEADER]


def everything_files(*lines: list, header: list | None = None) -> dict:
	"""The three export-everything tables as ``{file name: bytes}``."""
	return {
		"admin_member.csv": csv_bytes([header or MEMBER_HEADER, *lines], terminator="\n"),
		"admin_division.csv": DIVISIONS_CSV,
		"admin_membershipstatus.csv": STATUSES_CSV,
	}


def everything_zip(*lines: list, folder: str = "") -> bytes:
	"""A zipped export-everything folder, at the root or inside ``folder``."""
	return zip_bytes({folder + name: data for name, data in everything_files(*lines).items()})


def excel_date(text: str) -> datetime:
	"""A date cell value from ``yyyy-mm-dd``."""
	return datetime.strptime(text, "%Y-%m-%d")
