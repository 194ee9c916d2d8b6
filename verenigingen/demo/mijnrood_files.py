"""Writing generated members as the files Mijnrood (and Excel after it) really produce.

The shapes are described in the shared MIJNROOD_FORMATS.md: the admin list as ``.xlsx``, the same
list saved by Dutch Excel as CSV (``;``, Windows-1252, CRLF, ``d-m-yyyy``, decimal comma) or by
other tools (``,``, UTF-8 with BOM, ISO dates), and ``app:export-everything`` (one RFC 4180 CSV
per table, ``\\N`` for NULL, amounts in cents, periods and statuses as ids).
"""

import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

from verenigingen.core.mijnrood.columns import ADMIN_HEADERS

# the admin export's header row as Mijnrood writes it, columns A to U
ADMIN_HEADER = ADMIN_HEADERS
MEMBER_HEADER = (
	"id,division_id,first_name,last_name,email,phone,iban,address,city,post_code,registration_time,"
	"mollie_subscription_id,contribution_period,contribution_per_period_in_cents,roles,password_hash,"
	"new_password_token_generated_time,new_password_token,country,date_of_birth,"
	"accept_use_personal_information,mollie_customer_id,create_subscription_after_payment,"
	"current_membership_status_id,comments,middle_name"
).split(",")
DIVISION_HEADER = (
	"id,name,phone,city,address,post_code,facebook,instagram,twitter,email_id,can_be_selected_on_application"
).split(",")
# Mijnrood's statuses: (id, name, allowed_access)
STATUSES = ((1, "Lid", 1), (2, "Aspirant", 1), (3, "Opgezegd", 0))
PERIOD_CODES = {"Maandelijks": "0", "Per kwartaal": "1", "Jaarlijks": "2"}
UNKNOWN_PERIOD_CODE = "7"
NULL = "\\N"
MEMBER_FILE = "admin_member.csv"
DIVISION_FILE = "admin_division.csv"
STATUS_FILE = "admin_membershipstatus.csv"


def _yes_no(flag: bool) -> str:
	return "Ja" if flag else "Nee"


def _typed_date(value, dialect: str):
	"""A date as the dialect writes it; a string is a date as a person typed it (``31-2-1990``)."""
	if value is None:
		return None if dialect == "xlsx" else ""
	if isinstance(value, str):
		if dialect != "iso":
			return value
		day, month, year = value.split("-")
		return f"{year}-{int(month):02d}-{int(day):02d}"
	if dialect == "xlsx":
		return datetime(value.year, value.month, value.day)
	if dialect == "nl":
		return f"{value.day}-{value.month}-{value.year}"
	return value.isoformat()


def _amount(value, dialect: str):
	if value is None:
		return None if dialect == "xlsx" else ""
	if isinstance(value, str):
		return int(value) if dialect == "xlsx" and value.isdigit() else value
	if dialect == "xlsx":
		return int(value) if value == value.to_integral_value() else float(value)
	if dialect == "nl":
		return f"{value:.2f}".replace(".", ",")
	return str(float(value))


def admin_cells(row: dict, dialect: str) -> list:
	"""One row of the admin list; ``dialect`` is ``xlsx``, ``nl`` (Dutch Excel CSV) or ``iso``."""
	empty = None if dialect == "xlsx" else ""
	cells = [
		row["lidnr"],
		row["first_name"],
		row["middle_name"],
		row["last_name"],
		_typed_date(row["birth_date"], dialect),
		_typed_date(row["member_since"], dialect),
		row["chapter"],
		row["email"],
		row["phone"],
		row["address"],
		row["city"],
		row["postcode"],
		row["country"],
		row["iban"],
		_amount(row["amount"], dialect),
		row["period"],
		_yes_no(row["paid"]),
		row["mollie_customer_id"],
		row["mollie_subscription_id"],
		_yes_no(row["privacy"]),
		row["status"],
	]
	return [empty if cell == "" else cell for cell in cells]


def csv_bytes(rows, delimiter: str, terminator: str, encoding: str) -> bytes:
	buffer = io.StringIO(newline="")
	csv.writer(buffer, delimiter=delimiter, lineterminator=terminator).writerows(rows)
	return buffer.getvalue().encode(encoding, errors="replace")


def excel_nl_csv(rows: list) -> bytes:
	"""Dutch Excel's "CSV (gescheiden door lijstscheidingsteken)": letters cp1252 lacks become "?"."""
	table = [ADMIN_HEADER, *(admin_cells(row, "nl") for row in rows)]
	return csv_bytes(table, ";", "\r\n", "cp1252")


def utf8_bom_csv(rows: list) -> bytes:
	table = [ADMIN_HEADER, *(admin_cells(row, "iso") for row in rows)]
	return csv_bytes(table, ",", "\r\n", "utf-8-sig")


def admin_xlsx(rows: list) -> bytes:
	"""The admin workbook: numbers and dates as typed cells; text that looks like a formula stays text."""
	import openpyxl
	from openpyxl.cell import WriteOnlyCell

	workbook = openpyxl.Workbook(write_only=True)
	sheet = workbook.create_sheet("Sheet")
	sheet.append(ADMIN_HEADER)
	for row in rows:
		cells = admin_cells(row, "xlsx")
		for index, value in enumerate(cells):
			if isinstance(value, datetime):
				cell = cells[index] = WriteOnlyCell(sheet, value=value)
				cell.number_format = "yyyy-mm-dd"
			elif isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
				cell = cells[index] = WriteOnlyCell(sheet, value=value)
				cell.data_type = "s"
		sheet.append(cells)
	buffer = io.BytesIO()
	workbook.save(buffer)
	return buffer.getvalue()


def _null(value) -> str:
	return NULL if value in (None, "") else str(value)


def _cents(value) -> str:
	if value is None:
		return NULL
	if isinstance(value, str):
		return str(int(value) * 100)
	return str(int(value * 100))


def member_line(row: dict) -> list:
	"""One admin_member.csv row (``password_hash`` is present, as Mijnrood writes it)."""
	born, since = row["birth_date"], row["member_since"]
	return [
		str(row["lidnr"]),
		_null(row["division_id"]),
		row["first_name"],
		row["last_name"],
		row["email"],
		_null(row["phone"]),
		_null(row["iban"]),
		row["address"],
		row["city"],
		row["postcode"],
		_typed_date(since, "iso") if since else NULL,
		_null(row["mollie_subscription_id"]),
		PERIOD_CODES.get(row["period"], UNKNOWN_PERIOD_CODE),
		_cents(row["amount"]),
		row["roles"],
		_null(row["password_hash"]),
		NULL,
		NULL,
		row["country"],
		_typed_date(born, "iso") if born else NULL,
		"1" if row["privacy"] else "0",
		_null(row["mollie_customer_id"]),
		"0",
		_null(row["status_id"]),
		_null(row["comments"]),
		row["middle_name"],
	]


def everything_files(rows: list, chapters: tuple) -> dict:
	"""``{file name: bytes}`` of the three tables the importer reads."""
	divisions = [
		[str(number), name, NULL, name, NULL, NULL, NULL, NULL, NULL, NULL, "1"]
		for number, name in enumerate(chapters, start=1)
	]
	statuses = [[str(number), name, str(access)] for number, name, access in STATUSES]
	return {
		MEMBER_FILE: csv_bytes([MEMBER_HEADER, *(member_line(row) for row in rows)], ",", "\n", "utf-8"),
		DIVISION_FILE: csv_bytes([DIVISION_HEADER, *divisions], ",", "\n", "utf-8"),
		STATUS_FILE: csv_bytes([["id", "name", "allowed_access"], *statuses], ",", "\n", "utf-8"),
	}


def zip_folder(files: dict, folder: str) -> bytes:
	"""The export folder zipped as a user does it: the folder inside the archive."""
	buffer = io.BytesIO()
	with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
		for name, data in files.items():
			archive.writestr(f"{folder}/{name}", data)
	return buffer.getvalue()


def json_value(value):
	"""A row value for manifest.json: dates ISO, amounts as text."""
	if isinstance(value, date):
		return value.isoformat()
	if isinstance(value, Decimal):
		return f"{value:.2f}"
	return value
