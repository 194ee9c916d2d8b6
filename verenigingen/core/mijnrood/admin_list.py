"""The admin member list ("Exporteer alles"), as .xlsx or as CSV saved from it."""

from datetime import date

from verenigingen.core.mijnrood.columns import (
	ADMIN_COLUMNS,
	ADMIN_REQUIRED,
	looks_like_admin_member_table,
	resolve_columns,
)
from verenigingen.core.mijnrood.duplicates import flag_in_file_duplicates
from verenigingen.core.mijnrood.errors import MijnroodFileError
from verenigingen.core.mijnrood.model import CsvDialect, ParsedExport
from verenigingen.core.mijnrood.table import SourceTable
from verenigingen.core.mijnrood.validate import validate_row


def parse_admin_table(
	table: SourceTable, fmt: str, dialect: CsvDialect | None, source: str, today: date | None
) -> ParsedExport:
	"""Validate every row of the admin list; a header without rows is refused as a likely mistake."""
	if looks_like_admin_member_table(table.headers):
		raise MijnroodFileError(
			"{0} is a single table from export-everything: upload the whole export folder as a ZIP",
			source,
		)
	columns = resolve_columns(table.headers, ADMIN_COLUMNS, ADMIN_REQUIRED, source)
	if not table.rows:
		raise MijnroodFileError("{0} has a header row but no members", source)
	rows = [
		validate_row(row, {field: row.raw[header] for field, header in columns.items()}, columns, today=today)
		for row in table.rows
	]
	flag_in_file_duplicates(rows, columns)
	return ParsedExport(
		format=fmt, rows=rows, headers=table.headers, carried_fields=frozenset(columns), dialect=dialect
	)
