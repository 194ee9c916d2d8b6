"""Writing the rejected rows back in the shape they came in, plus a reason column, for fix-and-reupload."""

import csv
import io
from collections.abc import Callable, Iterable
from datetime import datetime

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from verenigingen.core.mijnrood.formula import make_cell_safe
from verenigingen.core.mijnrood.model import FORMAT_XLSX, CsvDialect, ParsedExport, RowResult
from verenigingen.core.mijnrood.text import cell_text, header_key

REASON_COLUMN = "Reden"
REASON_SEPARATOR = "; "
EXCEL_DATE_FORMAT = "d-m-yyyy"


def write_error_report(
	parsed: ParsedExport,
	rows: Iterable[RowResult] | None = None,
	translate: Callable[[str], str] = str,
) -> bytes:
	"""Return a file like the upload (same format, headers, delimiter, encoding) with a ``Reden`` column."""
	rows = parsed.failed_rows if rows is None else list(rows)
	# a re-uploaded report already has a reason column; replace it rather than add a second one
	headers = [h for h in parsed.headers if header_key(h) != header_key(REASON_COLUMN)]
	table = [[row.raw.get(header) for header in headers] + [reason_text(row, translate)] for row in rows]
	if parsed.format == FORMAT_XLSX:
		return _xlsx_bytes(headers + [REASON_COLUMN], table)
	return _csv_bytes(headers + [REASON_COLUMN], table, parsed.dialect or CsvDialect())


def reason_text(row: RowResult, translate: Callable[[str], str] = str) -> str:
	"""Join a row's errors (or, for an imported row, its warnings) into one cell."""
	return REASON_SEPARATOR.join(translate(message) for message in (row.errors or row.warnings))


def _csv_bytes(headers: list, table: list, dialect: CsvDialect) -> bytes:
	"""Write CSV with the upload's delimiter, line ends and encoding; characters it cannot hold become '?'."""
	buffer = io.StringIO(newline="")
	writer = csv.writer(buffer, delimiter=dialect.delimiter, lineterminator=dialect.line_terminator)
	writer.writerow([make_cell_safe(header) for header in headers])
	for cells in table:
		writer.writerow([make_cell_safe(cell_text(cell)) for cell in cells])
	return buffer.getvalue().encode(dialect.encoding, errors="replace")


def _xlsx_bytes(headers: list, table: list) -> bytes:
	"""Write a one-sheet workbook; text is escaped so that no cell becomes a live formula."""
	workbook = openpyxl.Workbook(write_only=True)
	sheet = workbook.create_sheet("Leden")
	sheet.append([_xlsx_cell(sheet, header) for header in headers])
	for cells in table:
		sheet.append([_xlsx_cell(sheet, cell) for cell in cells])
	buffer = io.BytesIO()
	workbook.save(buffer)
	return buffer.getvalue()


def _xlsx_cell(sheet, value: object) -> WriteOnlyCell:
	"""A typed cell: dates stay dates, numbers numbers, text is forced to be text."""
	if isinstance(value, str):
		cell = WriteOnlyCell(sheet, value=make_cell_safe(ILLEGAL_CHARACTERS_RE.sub("", value)))
		cell.data_type = "s"
		return cell
	cell = WriteOnlyCell(sheet, value=value)
	if isinstance(value, datetime):
		cell.number_format = EXCEL_DATE_FORMAT
	return cell
