"""Opening ZIPs without trusting entry names, counts, sizes or compression ratios."""

import zipfile

import pytest

from verenigingen.core.mijnrood import zip_reader
from verenigingen.core.mijnrood.errors import MijnroodFileError
from verenigingen.core.mijnrood.zip_reader import is_safe_entry_name, is_zip, open_zip, read_entry

from .builders import zip_bytes


def test_is_zip():
	"""ZIP magic (also of an empty archive) is recognised."""
	assert is_zip(zip_bytes({"a": b"b"})) and is_zip(zip_bytes({}))
	assert not is_zip(b"id,name\n")


@pytest.mark.parametrize(
	("name", "safe"),
	[
		("admin_member.csv", True),
		("export/admin_member.csv", True),
		("a..b.csv", True),
		("../x", False),
		("a/../../x", False),
		("/etc/passwd", False),
		("C:\\x", False),
		("c:x", False),
		("a\\..\\x", False),
		("", False),
	],
)
def test_is_safe_entry_name(name, safe):
	"""Absolute paths, drive letters and ``..`` segments are unsafe."""
	assert is_safe_entry_name(name) is safe


def test_open_zip_refuses_total_size(monkeypatch):
	"""The sum of declared sizes is capped."""
	monkeypatch.setattr(zip_reader, "MAX_ZIP_UNCOMPRESSED_BYTES", 10)
	with pytest.raises(MijnroodFileError, match="unpacks to more than"):
		open_zip(zip_bytes({"a": b"x" * 11}), "z.zip")


def test_open_zip_refuses_large_entry(monkeypatch):
	"""One entry over the per-entry cap is refused before it is read."""
	monkeypatch.setattr(zip_reader, "MAX_ZIP_ENTRY_BYTES", 10)
	with pytest.raises(MijnroodFileError, match="too large"):
		open_zip(zip_bytes({"a": b"x" * 11}), "z.zip")


def test_open_zip_allows_small_entries_that_compress_well():
	"""A tiny but repetitive table is no zip bomb."""
	open_zip(zip_bytes({"a.csv": b"\\N," * 100_000}), "z.zip").close()


def test_read_entry_reads_in_memory_within_the_cap(monkeypatch):
	"""Reading stops at the cap, whatever the entry header claims."""
	archive = zipfile.ZipFile(__import__("io").BytesIO(zip_bytes({"a": b"abc"})))
	assert read_entry(archive, "a", "z.zip") == b"abc"
	monkeypatch.setattr(zip_reader, "MAX_ZIP_ENTRY_BYTES", 2)
	with pytest.raises(MijnroodFileError, match="too large"):
		read_entry(archive, "a", "z.zip")


def test_read_entry_refuses_corrupt_data():
	"""A CRC mismatch is one clear error."""
	data = bytearray(zip_bytes({"a": b"hello world" * 10}, zipfile.ZIP_STORED))
	data[data.find(b"hello") + 3] ^= 0xFF
	archive = zipfile.ZipFile(__import__("io").BytesIO(bytes(data)))
	with pytest.raises(MijnroodFileError, match="cannot be unpacked"):
		read_entry(archive, "a", "z.zip")
