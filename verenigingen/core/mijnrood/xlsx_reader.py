"""Reading the Mijnrood admin export workbook (.xlsx) in read-only mode, values not formulas."""

import io
import warnings

import openpyxl

from verenigingen.core.mijnrood.errors import MijnroodFileError
from verenigingen.core.mijnrood.limits import MAX_ROWS
from verenigingen.core.mijnrood.table import SourceTable, build_table
from verenigingen.core.mijnrood.zip_reader import open_zip

WORKBOOK_PART = "xl/workbook.xml"
# blank rows are skipped but still cost time to walk through
MAX_SHEET_ROWS = 2 * MAX_ROWS


def is_workbook(data: bytes, source: str, label: str = "ZIP archive") -> bool:
	"""True when a (checked) ZIP holds an Excel workbook rather than loose CSV files."""
	with open_zip(data, source, label) as archive:
		return WORKBOOK_PART in archive.namelist()


def read_xlsx_table(data: bytes, source: str) -> SourceTable:
	"""Read the first sheet; Excel dates arrive as datetimes and numbers as numbers."""
	open_zip(data, source, "Excel workbook").close()
	try:
		# a damaged or hostile workbook can fail in openpyxl in many ways (KeyError, XML errors,
		# zipfile errors, TypeError...); for the user they all mean the same thing
		with warnings.catch_warnings():
			warnings.simplefilter("ignore")
			workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
			try:
				return _read_first_sheet(workbook, source)
			finally:
				workbook.close()
	except MijnroodFileError:
		raise
	except Exception:
		raise MijnroodFileError("{0} is not a readable Excel workbook", source) from None


def _read_first_sheet(workbook, source: str) -> SourceTable:
	"""Number rows as Excel does (header is row 1) and hand them to the table builder."""
	if not workbook.worksheets:
		raise MijnroodFileError("{0} has no sheet", source)
	sheet = workbook.worksheets[0]
	# the stored dimension may be wrong; trusting it would silently cut rows off
	sheet.reset_dimensions()
	rows = sheet.iter_rows(min_row=1, values_only=True)
	header = next(rows, None)
	if header is None:
		raise MijnroodFileError("{0} is empty", source)
	return build_table(_trim(header), _numbered(rows, source), source)


def _numbered(rows, source: str):
	"""Yield ``(Excel row number, cells)``; blank rows count towards a hard cap too."""
	for number, cells in enumerate(rows, start=2):
		if number > MAX_SHEET_ROWS:
			raise MijnroodFileError("{0} has more than {1} rows", source, MAX_SHEET_ROWS)
		yield number, _trim(cells)


def _trim(cells: tuple) -> list:
	"""Drop the empty cells Excel pads a row with on the right."""
	cells = list(cells)
	while cells and cells[-1] in (None, ""):
		cells.pop()
	return cells
