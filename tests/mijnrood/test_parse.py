"""The entry points route each upload to its reader and refuse unusable files as a whole."""

from datetime import date

import pytest

from verenigingen.core.mijnrood import MijnroodFileError, parse_export, parse_export_directory
from verenigingen.core.mijnrood.parse import display_name

from .builders import (
	admin_csv,
	admin_row,
	admin_xlsx,
	everything_files,
	everything_zip,
	excel_date,
	member_line,
)


@pytest.mark.parametrize(
	("data", "filename", "fmt"),
	[
		(admin_xlsx(admin_row()), "Export Ledendatabase.xlsx", "xlsx"),
		(admin_xlsx(admin_row()), "export", "xlsx"),
		(admin_csv(admin_row(), delimiter=";", encoding="cp1252"), "leden.csv", "csv"),
		(admin_csv(admin_row()), "leden.txt", "csv"),
		(everything_zip(member_line()), "export-everything.zip", "export-everything"),
		(everything_zip(member_line(), folder="export-everything/"), "upload", "export-everything"),
	],
)
def test_parse_export_recognises_the_shape_by_content(data, filename, fmt):
	"""The content decides the format; the file name only sharpens error messages."""
	parsed = parse_export(data, filename)
	assert parsed.format == fmt and len(parsed.rows) == 1 and parsed.rows[0].ok


def test_xlsx_values_are_typed_cells():
	"""Excel dates and numbers from the workbook normalise like their CSV text."""
	row = admin_row(geboortedatum=excel_date("2006-07-07"), contributiebedrag=7.5, lidnr=1000.0)
	member = parse_export(admin_xlsx(row), "x.xlsx").rows[0].member
	assert (member["member_id"], member["birth_date"], str(member["contribution_amount"])) == (
		"1000",
		"2006-07-07",
		"7.50",
	)


def test_today_is_passed_in():
	"""The future-date check uses the given today only."""
	data = admin_csv(admin_row(inschrijfdataum="1-1-2027"))
	assert parse_export(data, "x.csv").rows[0].member["member_since"] == "2027-01-01"
	assert "member_since" not in parse_export(data, "x.csv", today=date(2026, 6, 1)).rows[0].member


def test_parse_export_directory_accepts_a_directory_or_a_file(tmp_path):
	"""A directory is export-everything; a file path is parsed like an upload."""
	for name, data in everything_files(member_line()).items():
		(tmp_path / name).write_bytes(data)
	assert parse_export_directory(tmp_path).format == "export-everything"
	(tmp_path / "leden.csv").write_bytes(admin_csv(admin_row()))
	assert parse_export_directory(str(tmp_path / "leden.csv")).format == "csv"


def test_parse_export_directory_refuses_a_missing_path(tmp_path):
	"""A path that does not exist is one clear error."""
	with pytest.raises(MijnroodFileError, match="neither a file nor a directory"):
		parse_export_directory(tmp_path / "nope")


@pytest.mark.parametrize(
	("filename", "shown"),
	[
		("C:\\Users\\x\\leden.csv", "leden.csv"),
		("/tmp/a/b.xlsx", "b.xlsx"),
		("", "the file"),
		("a\x1b[31m.csv", "a[31m.csv"),
	],
)
def test_display_name(filename, shown):
	"""Only the base name, without control characters, goes into messages."""
	assert display_name(filename) == shown
