"""Reading CSV the way Excel and other tools save it: guessing encoding, delimiter and line ends."""

import codecs
import csv
import io
import re

from verenigingen.core.mijnrood.errors import MijnroodFileError
from verenigingen.core.mijnrood.model import CsvDialect
from verenigingen.core.mijnrood.table import SourceTable, build_table

DELIMITERS = (";", ",", "\t")
# control characters other than tab and line ends: a stray one happens, many mean binary data
_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-16": "UTF-16", "cp1252": "UTF-8 or Windows-1252"}
_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode_text(data: bytes, source: str) -> tuple[str, str]:
	"""Decode CSV bytes: a BOM wins, then strict UTF-8, then Windows-1252 (Dutch Excel)."""
	if data.startswith(codecs.BOM_UTF8):
		return _decode(data[len(codecs.BOM_UTF8) :], "utf-8", source), "utf-8-sig"
	if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
		return _decode(data, "utf-16", source), "utf-16"
	try:
		text, encoding = data.decode("utf-8"), "utf-8"
	except UnicodeDecodeError:
		text, encoding = _decode(data, "cp1252", source), "cp1252"
	if "\x00" in text or len(_BINARY.findall(text)) > len(text) / 100:
		raise MijnroodFileError("{0} is not a text (CSV) file", source)
	return text, encoding


def _decode(data: bytes, encoding: str, source: str) -> str:
	"""Decode or explain that the encoding is unknown."""
	try:
		return data.decode(encoding)
	except UnicodeDecodeError:
		raise MijnroodFileError(
			"{0} is not text in {1} (save it as CSV UTF-8)", source, _ENCODING_NAMES[encoding]
		) from None


def detect_dialect(text: str, encoding: str) -> CsvDialect:
	"""Pick the delimiter that splits the header line most and remember the line ending."""
	first_line = text.split("\n", 1)[0]
	delimiter = max(DELIMITERS, key=first_line.count)
	if not first_line.count(delimiter):
		delimiter = ","
	terminator = "\r\n" if first_line.endswith("\r") else "\n"
	return CsvDialect(delimiter=delimiter, encoding=encoding, line_terminator=terminator)


def read_csv_table(data: bytes, source: str) -> tuple[SourceTable, CsvDialect]:
	"""Read CSV bytes into a table; unbalanced quotes or a broken line reject the whole file."""
	if not data.strip():
		raise MijnroodFileError("{0} is empty", source)
	text, encoding = decode_text(data, source)
	dialect = detect_dialect(text, encoding)
	reader = csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter, strict=True)
	records = _numbered_records(reader, source)
	header = next(records, None)
	if header is None:
		raise MijnroodFileError("{0} is empty", source)
	return build_table(header[1], records, source), dialect


def _numbered_records(reader, source: str):
	"""Yield ``(first line number, cells)`` per record; a quoted cell may span several lines."""
	previous = 0
	try:
		for cells in reader:
			yield previous + 1, cells
			previous = reader.line_num
	except csv.Error as exc:
		# an unclosed quote is only noticed at the end of the file; point at where it started
		raise MijnroodFileError(
			"{0}: the row starting on line {1} cannot be read as CSV ({2})", source, previous + 1, str(exc)
		) from None
