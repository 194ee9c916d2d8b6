"""The shape every reader produces: headers plus rows keyed by the original header text."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from verenigingen.core.mijnrood.errors import Message, MijnroodFileError
from verenigingen.core.mijnrood.limits import MAX_COLUMNS, MAX_ROWS
from verenigingen.core.mijnrood.text import cell_text, header_key

# credentials in export-everything: never read, so they cannot leak into logs, reports or the database
SECRET_COLUMN_KEYS = ("passwordhash", "newpasswordtoken")


@dataclass
class SourceRow:
	"""One non-empty data row: where the user sees it, its cells, and structural problems."""

	row_number: int
	raw: dict
	problems: list = field(default_factory=list)


@dataclass
class SourceTable:
	"""A header row and the data rows under it."""

	headers: list
	rows: list


def is_secret_column(header: str) -> bool:
	"""True for password hashes and reset tokens, which are dropped at read time."""
	return header_key(header).startswith(SECRET_COLUMN_KEYS)


def build_table(header_cells: list, records: Iterable[tuple[int, list]], source: str) -> SourceTable:
	"""Turn a header row and numbered records into a table, dropping secret and unnamed columns."""
	headers = [cell_text(cell).strip().lstrip("\ufeff") for cell in header_cells]
	_check_headers(headers, source)
	keep = [i for i, header in enumerate(headers) if header and not is_secret_column(header)]
	rows = []
	for row_number, cells in records:
		if not any(cell_text(cell).strip() for cell in cells):
			continue
		if len(rows) >= MAX_ROWS:
			raise MijnroodFileError("{0} has more than {1} rows", source, MAX_ROWS)
		rows.append(_build_row(row_number, cells, headers, keep))
	return SourceTable(headers=[headers[i] for i in keep], rows=rows)


def _check_headers(headers: list, source: str) -> None:
	"""Reject a file whose header row is missing, too wide or names a column twice."""
	if not any(headers):
		raise MijnroodFileError("{0} has no header row", source)
	if len(headers) > MAX_COLUMNS:
		raise MijnroodFileError("{0} has more than {1} columns", source, MAX_COLUMNS)
	seen = {}
	for header in headers:
		if not header:
			continue
		key = header_key(header) or header
		if key in seen and seen[key] == header:
			raise MijnroodFileError("{0}: column '{1}' appears twice", source, header)
		if key in seen:
			raise MijnroodFileError(
				"{0}: columns '{1}' and '{2}' are the same column", source, seen[key], header
			)
		seen[key] = header


def _build_row(row_number: int, cells: list, headers: list, keep: list) -> SourceRow:
	"""Map cells to headers; a cell beyond the last header that holds data is a structural problem."""
	cells = list(cells) + [None] * (len(headers) - len(cells))
	row = SourceRow(row_number=row_number, raw={headers[i]: cells[i] for i in keep})
	if any(cell_text(cell).strip() for cell in cells[len(headers) :]):
		row.problems.append(Message("row has more cells than the header has columns"))
	return row
