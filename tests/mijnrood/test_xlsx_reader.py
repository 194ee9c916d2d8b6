"""Reading the admin workbook: read-only, values not formulas, every row even with a wrong dimension."""

import io
import zipfile

import pytest

from verenigingen.core.mijnrood.errors import MijnroodFileError
from verenigingen.core.mijnrood.xlsx_reader import is_workbook, read_xlsx_table

from .builders import admin_xlsx, excel_date, xlsx_bytes, zip_bytes


def test_is_workbook():
	"""A workbook is recognised by its parts, not its file name."""
	assert is_workbook(xlsx_bytes([["a"]]), "x")
	assert not is_workbook(zip_bytes({"admin_member.csv": b"id\n"}), "x")


def test_text_that_looks_like_a_formula_is_read_as_text():
	"""A text cell starting with = is data, to be judged by validation."""
	assert read_xlsx_table(xlsx_bytes([["a"], ["=1+1"]]), "x").rows[0].raw["a"] == "=1+1"


def test_dates_stay_dates_and_numbers_numbers():
	"""Excel date cells arrive as datetimes, numbers as numbers, row numbers as in Excel."""
	table = read_xlsx_table(
		xlsx_bytes([["Lidnr.", "Geboortedatum", "Bedrag"], [], [1000, excel_date("2006-07-07"), 7.5]]), "x"
	)
	row = table.rows[0]
	assert row.row_number == 3
	assert row.raw == {"Lidnr.": 1000, "Geboortedatum": excel_date("2006-07-07"), "Bedrag": 7.5}


def test_formula_cells_give_their_cached_value_not_the_formula():
	"""data_only: a formula cell never reaches us as formula text."""
	table = read_xlsx_table(xlsx_bytes([["a", "b"], ["=1+1", "x"]], formulas=True), "x")
	assert table.rows[0].raw["a"] is None


def _with_dimension(data: bytes, ref: str) -> bytes:
	"""Rewrite the sheet's stored dimension, as some writers get it wrong."""
	source = zipfile.ZipFile(io.BytesIO(data))
	parts = {name: source.read(name) for name in source.namelist()}
	sheet = parts["xl/worksheets/sheet1.xml"].decode()
	start = sheet.index('<dimension ref="') + len('<dimension ref="')
	parts["xl/worksheets/sheet1.xml"] = (sheet[:start] + ref + sheet[sheet.index('"', start) :]).encode()
	return zip_bytes(parts)


def test_wrong_dimension_does_not_cut_rows():
	"""A dimension claiming one cell must not silently drop members."""
	data = _with_dimension(admin_xlsx(*[[1000 + i, "A", "", "B"] for i in range(5)]), "A1:A1")
	assert len(read_xlsx_table(data, "x").rows) == 5


def test_broken_workbook_is_refused():
	"""A workbook openpyxl cannot read is one clear error."""
	with pytest.raises(MijnroodFileError):
		read_xlsx_table(zip_bytes({"xl/workbook.xml": b"<x"}), "x")
