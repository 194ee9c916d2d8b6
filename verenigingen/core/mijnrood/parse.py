"""The entry points: bytes plus a file name (an upload) or a path (a directory on the server)."""

import re
from datetime import date
from pathlib import Path, PurePath

from verenigingen.core.mijnrood.admin_list import parse_admin_table
from verenigingen.core.mijnrood.csv_reader import read_csv_table
from verenigingen.core.mijnrood.errors import MijnroodFileError
from verenigingen.core.mijnrood.everything import (
	parse_everything,
	read_everything_directory,
	read_everything_zip,
)
from verenigingen.core.mijnrood.limits import MAX_FILE_BYTES
from verenigingen.core.mijnrood.model import FORMAT_CSV, FORMAT_XLSX, ParsedExport
from verenigingen.core.mijnrood.xlsx_reader import is_workbook, read_xlsx_table
from verenigingen.core.mijnrood.zip_reader import is_zip

# the compound-file header of old .xls and of password-protected .xlsx
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


def parse_export(data: bytes, filename: str, *, today: date | None = None) -> ParsedExport:
	"""Parse an uploaded Mijnrood export (.xlsx, .csv, or export-everything as .zip) into row verdicts."""
	source = display_name(filename)
	if len(data) > MAX_FILE_BYTES:
		raise MijnroodFileError("{0} is larger than {1} MB", source, MAX_FILE_BYTES >> 20)
	if not data.strip():
		raise MijnroodFileError("{0} is empty", source)
	if is_zip(data):
		return _parse_zip(data, filename, source, today)
	if data.startswith(OLE2_MAGIC):
		raise MijnroodFileError(
			"{0} is an old .xls or a password-protected workbook: save it as .xlsx", source
		)
	if filename.lower().endswith(EXCEL_SUFFIXES):
		raise MijnroodFileError("{0} is not a readable Excel workbook", source)
	if filename.lower().endswith(".zip"):
		raise MijnroodFileError("{0} is not a readable ZIP archive", source)
	table, dialect = read_csv_table(data, source)
	return parse_admin_table(table, FORMAT_CSV, dialect, source, today)


def _parse_zip(data: bytes, filename: str, source: str, today: date | None) -> ParsedExport:
	"""A ZIP is either a workbook or a zipped export-everything folder; the content decides."""
	named_excel = filename.lower().endswith(EXCEL_SUFFIXES)
	if is_workbook(data, source, "Excel workbook" if named_excel else "ZIP archive"):
		return parse_admin_table(read_xlsx_table(data, source), FORMAT_XLSX, None, source, today)
	if named_excel:
		raise MijnroodFileError("{0} is not a readable Excel workbook", source)
	return parse_everything(read_everything_zip(data, source), today)


def parse_export_directory(path: str | Path, *, today: date | None = None) -> ParsedExport:
	"""Parse an export-everything directory on disk (or any single export file given by path)."""
	path = Path(path)
	if path.is_file():
		if path.stat().st_size > MAX_FILE_BYTES:
			raise MijnroodFileError("{0} is larger than {1} MB", path.name, MAX_FILE_BYTES >> 20)
		return parse_export(path.read_bytes(), path.name, today=today)
	if not path.is_dir():
		raise MijnroodFileError("{0} is neither a file nor a directory", display_name(str(path)))
	return parse_everything(read_everything_directory(path), today)


def display_name(filename: str) -> str:
	"""The base name of an upload, safe to show in a message."""
	name = PurePath(str(filename).replace("\\", "/")).name or "the file"
	return _UNPRINTABLE.sub("", name)[:100]
