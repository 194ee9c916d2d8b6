"""``app:export-everything``: one CSV per table, given as a directory or as a ZIP of it."""

import posixpath
from datetime import date
from pathlib import Path

from verenigingen.core.mijnrood.columns import (
	DIVISION_COLUMNS,
	EVERYTHING_COLUMNS,
	EVERYTHING_REQUIRED,
	STATUS_COLUMNS,
	resolve_columns,
)
from verenigingen.core.mijnrood.csv_reader import read_csv_table
from verenigingen.core.mijnrood.duplicates import flag_in_file_duplicates
from verenigingen.core.mijnrood.errors import InvalidValue, Message, MijnroodFileError
from verenigingen.core.mijnrood.limits import MAX_FILE_BYTES
from verenigingen.core.mijnrood.model import FORMAT_EVERYTHING, ParsedExport
from verenigingen.core.mijnrood.table import SourceRow
from verenigingen.core.mijnrood.text import cell_text, clean_text
from verenigingen.core.mijnrood.validate import validate_row
from verenigingen.core.mijnrood.values import normalise_flag
from verenigingen.core.mijnrood.zip_reader import is_zip, open_zip, read_entry

MEMBER_FILE = "admin_member.csv"
DIVISION_FILE = "admin_division.csv"
STATUS_FILE = "admin_membershipstatus.csv"
NEEDED_FILES = (MEMBER_FILE, DIVISION_FILE, STATUS_FILE)
NULL = "\\N"


def read_everything_zip(data: bytes, source: str) -> dict:
	"""Read the three needed tables from a ZIP, at its root or inside one folder, in memory."""
	with open_zip(data, source) as archive:
		names = [info.filename for info in archive.infolist() if not info.is_dir()]
		names = [name for name in names if not name.startswith("__MACOSX/")]
		if any(name.lower().endswith(".zip") for name in names):
			raise MijnroodFileError(
				"{0} contains another ZIP file; upload the export folder zipped once", source
			)
		folder = _export_folder(names, source)
		files = {}
		for name in NEEDED_FILES:
			path = posixpath.join(folder, name)
			if path not in names:
				raise MijnroodFileError("{0} does not contain {1}", source, name)
			files[name] = read_entry(archive, path, source)
	if any(is_zip(content) for content in files.values()):
		raise MijnroodFileError("{0} contains another ZIP file; upload the export folder zipped once", source)
	return files


def _export_folder(names: list, source: str) -> str:
	"""Find the folder holding admin_member.csv: the root or exactly one subfolder."""
	folders = [
		posixpath.dirname(n) for n in names if posixpath.basename(n) == MEMBER_FILE and n.count("/") <= 1
	]
	if not folders:
		raise MijnroodFileError(
			"{0} is neither an Excel file nor a Mijnrood export (no {1})", source, MEMBER_FILE
		)
	if len(folders) > 1:
		raise MijnroodFileError("{0} contains more than one {1}", source, MEMBER_FILE)
	return folders[0]


def read_everything_directory(path: Path) -> dict:
	"""Read the three needed tables from an export directory on disk."""
	files = {}
	for name in NEEDED_FILES:
		file = path / name
		if not file.is_file():
			raise MijnroodFileError("{0} does not contain {1}", path.name, name)
		if file.stat().st_size > MAX_FILE_BYTES:
			raise MijnroodFileError("{0} is larger than {1} MB", name, MAX_FILE_BYTES >> 20)
		files[name] = file.read_bytes()
	return files


def parse_everything(files: dict, today: date | None) -> ParsedExport:
	"""Validate admin_member.csv with divisions and statuses resolved to names."""
	table, dialect = read_csv_table(files[MEMBER_FILE], MEMBER_FILE)
	divisions = _read_lookup(files[DIVISION_FILE], DIVISION_FILE, DIVISION_COLUMNS)
	statuses = _read_lookup(files[STATUS_FILE], STATUS_FILE, STATUS_COLUMNS)
	columns = resolve_columns(table.headers, EVERYTHING_COLUMNS, EVERYTHING_REQUIRED, MEMBER_FILE)
	rows = [_member_row(row, columns, divisions, statuses, today) for row in table.rows]
	flag_in_file_duplicates(rows, columns)
	return ParsedExport(
		format=FORMAT_EVERYTHING,
		rows=rows,
		headers=table.headers,
		carried_fields=frozenset(columns),
		dialect=dialect,
	)


def _read_lookup(data: bytes, source: str, spec: dict) -> dict:
	"""Read a small id -> row table; a header-only file is a valid empty table."""
	table, _ = read_csv_table(data, source)
	columns = resolve_columns(table.headers, spec, tuple(spec), source)
	lookup = {}
	for row in table.rows:
		key = cell_text(row.raw[columns["id"]]).strip()
		if key in lookup:
			raise MijnroodFileError("{0}: id {1} occurs twice", source, key)
		lookup[key] = {field: _null(row.raw[header]) for field, header in columns.items()}
	return lookup


def _null(value: object) -> object:
	"""Mijnrood writes SQL NULL as a bare ``\\N``; an empty field is a real empty string."""
	return None if value == NULL else value


def _member_row(row: SourceRow, columns: dict, divisions: dict, statuses: dict, today: date | None):
	"""Validate one admin_member row after turning ids into the names a person recognises."""
	values = {field: _null(row.raw[header]) for field, header in columns.items()}
	notes = []
	if "chapter" in values:
		_resolve_division(values, divisions, notes, columns["chapter"])
	allows_access = None
	if "membership_status" in values:
		allows_access = _resolve_status(values, statuses, notes, columns["membership_status"])
	result = validate_row(
		row, values, columns, today=today, amount_in_cents=True, allows_access=allows_access
	)
	result.warnings.extend(notes)
	return result


def _resolve_division(values: dict, divisions: dict, notes: list, label: str) -> None:
	"""Replace division_id by the division's name; an unknown id drops the group with a warning."""
	division_id = cell_text(values["chapter"]).strip()
	if not division_id:
		values["chapter"] = ""
	elif division_id in divisions:
		values["chapter"] = clean_text(divisions[division_id]["name"])[0]
	else:
		del values["chapter"]
		notes.append(Message("{0}: {1} is not in {2}; not imported", label, division_id, DIVISION_FILE))


def _resolve_status(values: dict, statuses: dict, notes: list, label: str) -> bool | None:
	"""Replace the status id by its name and say whether it allows a login (no status: yes, as Mijnrood)."""
	status_id = cell_text(values["membership_status"]).strip()
	if not status_id:
		values["membership_status"] = ""
		return True
	if status_id not in statuses:
		del values["membership_status"]
		notes.append(Message("{0}: {1} is not in {2}; not imported", label, status_id, STATUS_FILE))
		return None
	status = statuses[status_id]
	values["membership_status"] = status["name"]
	return _allowed_access(status["allowed_access"], status_id)


def _allowed_access(value: object, status_id: str) -> bool:
	"""Read allowed_access strictly: a login must never follow from a value we do not understand."""
	try:
		return bool(normalise_flag(value))
	except InvalidValue:
		raise MijnroodFileError(
			"{0}: allowed_access of status {1} is not 0 or 1", STATUS_FILE, status_id
		) from None
