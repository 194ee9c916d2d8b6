"""Decoding, dialect detection and reading CSV into a table."""

import codecs

import pytest

from verenigingen.core.mijnrood.csv_reader import decode_text, detect_dialect, read_csv_table
from verenigingen.core.mijnrood.errors import MijnroodFileError
from verenigingen.core.mijnrood.model import CsvDialect


@pytest.mark.parametrize(
	("data", "encoding"),
	[
		("Zoë;Çağla".encode(), "utf-8"),
		(codecs.BOM_UTF8 + "Zoë;Çağla".encode(), "utf-8-sig"),
		("Zoë;Öztürk".encode("cp1252"), "cp1252"),
		("Zoë;Çağla".encode("utf-16"), "utf-16"),
	],
)
def test_decode_text(data, encoding):
	"""BOMs decide, otherwise strict UTF-8, otherwise Windows-1252; diacritics survive."""
	text, found = decode_text(data, "t.csv")
	assert found == encoding and text.startswith("Zoë;")


def test_decode_text_refuses_binary():
	"""NUL bytes mean the file is not text."""
	with pytest.raises(MijnroodFileError):
		decode_text(b"a\x00b", "t.csv")


@pytest.mark.parametrize(
	("text", "dialect"),
	[
		("a;b;c\r\n1;2;3\r\n", CsvDialect(";", "cp1252", "\r\n")),
		("a,b,c\n", CsvDialect(",", "cp1252", "\n")),
		("a\tb\n", CsvDialect("\t", "cp1252", "\n")),
		("a\n", CsvDialect(",", "cp1252", "\n")),
	],
)
def test_detect_dialect(text, dialect):
	"""The delimiter splitting the header most wins; CRLF or LF is remembered."""
	assert detect_dialect(text, "cp1252") == dialect


def test_read_csv_table_numbers_rows_by_first_line():
	"""A quoted cell spanning lines does not shift the row numbers the user sees."""
	data = b'id,note\r\n1,"two\r\nlines"\r\n\r\n2,plain\r\n'
	table, dialect = read_csv_table(data, "t.csv")
	assert [(row.row_number, row.raw["note"]) for row in table.rows] == [(2, "two\r\nlines"), (5, "plain")]
	assert dialect.line_terminator == "\r\n"


def test_read_csv_table_header_only_is_an_empty_table():
	"""Header-only is an empty table here; the shape decides whether that is acceptable."""
	table, _ = read_csv_table(b"id,name\n", "t.csv")
	assert table.headers == ["id", "name"] and table.rows == []


@pytest.mark.parametrize(
	("data", "message"), [(b"", "is empty"), (b'a,b\n1,"x\n2,3\n', "row starting on line 2 cannot be read")]
)
def test_read_csv_table_refuses_broken_files(data, message):
	"""Empty files and unbalanced quotes reject the file as a whole."""
	with pytest.raises(MijnroodFileError) as caught:
		read_csv_table(data, "t.csv")
	assert message in caught.value.message
