"""Reading Mijnrood member exports into validated, canonical member records (no frappe here).

Entry points::

	parse_export(data: bytes, filename: str, *, today: date | None = None) -> ParsedExport
	parse_export_directory(path, *, today: date | None = None) -> ParsedExport
	write_error_report(parsed, rows=None, translate=str) -> bytes
	make_cell_safe(value) -> value        # before writing any value into CSV/XLSX
	is_formula_like(value) -> bool

``parse_export`` takes an upload: the admin list as ``.xlsx`` or as CSV saved from it, or the
``export-everything`` folder zipped. ``parse_export_directory`` takes that folder on disk.
A file that cannot be used at all raises ``MijnroodFileError`` (``.message``); nothing partial is
returned. Otherwise every non-empty row becomes a ``RowResult`` with ``row_number`` (the line or
Excel row the user sees), ``member`` (the canonical record), ``errors`` (row not imported),
``warnings`` (imported, a field dropped or flagged) and ``raw`` (original cells by original header;
password hashes and reset tokens are never read).

``member`` holds only keys from ``MEMBER_FIELDS`` that the file carries and that survived
validation, plus ``allows_access`` (True/False from the membership status of export-everything,
None when unknown). An importer writes exactly the keys present, so it never clears data the file
does not carry. ``ParsedExport.carried_fields`` lists the fields the file's columns carry.
``today`` (passed in, never read here) enables the "date in the future" checks.
Messages are ``Message`` strings that keep ``template``/``args`` for translation with ``_()``.
The verdict per rule is documented in ``docs/import-validation.md``.
"""

from verenigingen.core.mijnrood.errors import Message, MijnroodFileError
from verenigingen.core.mijnrood.formula import is_formula_like, make_cell_safe
from verenigingen.core.mijnrood.model import (
	FORMAT_CSV,
	FORMAT_EVERYTHING,
	FORMAT_XLSX,
	MEMBER_FIELDS,
	CsvDialect,
	ParsedExport,
	RowResult,
)
from verenigingen.core.mijnrood.parse import parse_export, parse_export_directory
from verenigingen.core.mijnrood.report import REASON_COLUMN, write_error_report

__all__ = [
	"FORMAT_CSV",
	"FORMAT_EVERYTHING",
	"FORMAT_XLSX",
	"MEMBER_FIELDS",
	"REASON_COLUMN",
	"CsvDialect",
	"Message",
	"MijnroodFileError",
	"ParsedExport",
	"RowResult",
	"is_formula_like",
	"make_cell_safe",
	"parse_export",
	"parse_export_directory",
	"write_error_report",
]
