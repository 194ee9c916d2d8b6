"""The error report: same format, headers, delimiter and encoding as the upload, plus Reden."""

import io

import openpyxl

from verenigingen.core.mijnrood import parse_export, write_error_report
from verenigingen.core.mijnrood.model import RowResult
from verenigingen.core.mijnrood.report import REASON_COLUMN, reason_text

from .builders import (
	ADMIN_HEADER,
	MEMBER_HEADER,
	admin_csv,
	admin_row,
	admin_xlsx,
	everything_zip,
	excel_date,
	member_line,
)


def test_dutch_excel_csv_report_keeps_its_dialect():
	"""Semicolons, Windows-1252 and CRLF come back, with only the failed rows and a Reden column."""
	data = admin_csv(
		admin_row(1, voornaam="Zoë"), admin_row(2, email="kapot"), delimiter=";", encoding="cp1252"
	)
	report = write_error_report(parse_export(data, "leden.csv"))
	lines = report.decode("cp1252").split("\r\n")
	assert lines[0] == ";".join(ADMIN_HEADER + [REASON_COLUMN])
	assert lines[1].startswith("2;Anna;") and lines[1].endswith("'kapot' is not a valid email address")
	assert lines[2:] == [""]


def test_report_can_be_fixed_and_uploaded_again():
	"""The report parses like the original; its old Reden column is replaced, not doubled."""
	first = parse_export(admin_csv(admin_row(1, email="kapot")), "leden.csv")
	again = parse_export(write_error_report(first), "leden.csv")
	report = write_error_report(again).decode()
	assert report.splitlines()[0].count(REASON_COLUMN) == 1
	assert [row.raw for row in again.rows][0].items() >= first.rows[0].raw.items()


def test_xlsx_report_is_a_workbook_with_typed_cells_and_no_formulas():
	"""Dates stay dates; a formula typed into a name comes back as inert text."""
	row = admin_row(1, voornaam="=HYPERLINK(1)", geboortedatum=excel_date("2006-07-07"))
	report = write_error_report(parse_export(admin_xlsx(row), "leden.xlsx"))
	sheet = openpyxl.load_workbook(io.BytesIO(report)).worksheets[0]
	values = [[cell.value for cell in row] for row in sheet.iter_rows()]
	assert values[0] == ADMIN_HEADER + [REASON_COLUMN]
	assert values[1][1] == "'=HYPERLINK(1)" and sheet.cell(2, 2).data_type == "s"
	assert values[1][4] == excel_date("2006-07-07")
	assert values[1][-1] == "Voornaam: starts like a spreadsheet formula"


def test_everything_report_is_admin_member_shaped_without_credentials():
	"""NULLs stay ``\\N``; password columns were never read, so they are not written."""
	data = everything_zip(member_line(email="kapot", password_hash="$2y$13$secret"))
	report = write_error_report(parse_export(data, "e.zip")).decode()
	header, line = report.splitlines()[:2]
	assert header.split(",") == [h for h in MEMBER_HEADER if "password" not in h] + [REASON_COLUMN]
	assert "\\N" in line and "secret" not in report


def test_translate_renders_each_message():
	"""The Frappe shell passes its translation function; it receives each Message."""
	parsed = parse_export(admin_csv(admin_row(1, email="")), "leden.csv")
	report = write_error_report(parsed, translate=lambda message: message.template.upper())
	assert report.decode().splitlines()[1].endswith("{0} IS EMPTY")


def test_reason_text_prefers_errors_then_warnings():
	"""A rejected row shows its errors; an imported row its warnings."""
	assert reason_text(RowResult(2, {}, errors=["a", "b"], warnings=["w"])) == "a; b"
	assert reason_text(RowResult(2, {}, warnings=["w"])) == "w"
