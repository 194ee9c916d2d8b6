"""Opening ZIP containers (uploads and .xlsx) in memory without trusting anything inside them."""

import io
import posixpath
import zipfile
import zlib

from verenigingen.core.mijnrood.errors import MijnroodFileError
from verenigingen.core.mijnrood.limits import (
	MAX_ZIP_COMPRESSION_RATIO,
	MAX_ZIP_ENTRIES,
	MAX_ZIP_ENTRY_BYTES,
	MAX_ZIP_UNCOMPRESSED_BYTES,
	ZIP_RATIO_CHECK_FROM_BYTES,
)

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"


def is_zip(data: bytes) -> bool:
	"""True when the bytes start like a ZIP archive (which includes .xlsx)."""
	return data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC))


def open_zip(data: bytes, source: str, label: str = "ZIP archive") -> zipfile.ZipFile:
	"""Open a ZIP from memory after checking entry count, names, sizes and compression ratios."""
	try:
		archive = zipfile.ZipFile(io.BytesIO(data))
		infos = archive.infolist()
	except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
		raise MijnroodFileError("{0} is not a readable {1}", source, label) from None
	if len(infos) > MAX_ZIP_ENTRIES:
		raise MijnroodFileError("{0} holds more than {1} files", source, MAX_ZIP_ENTRIES)
	if sum(info.file_size for info in infos) > MAX_ZIP_UNCOMPRESSED_BYTES:
		raise MijnroodFileError("{0} unpacks to more than {1} MB", source, MAX_ZIP_UNCOMPRESSED_BYTES >> 20)
	for info in infos:
		_check_entry(info, source)
	return archive


def _check_entry(info: zipfile.ZipInfo, source: str) -> None:
	"""Reject entries that escape the archive, are encrypted, or expand suspiciously (zip bombs)."""
	if not is_safe_entry_name(info.filename):
		raise MijnroodFileError("{0} contains an unsafe file name '{1}'", source, info.filename[:100])
	if info.flag_bits & 0x1:
		raise MijnroodFileError("{0} is password-protected", source)
	if info.file_size > MAX_ZIP_ENTRY_BYTES:
		raise MijnroodFileError("{0}: '{1}' is too large", source, info.filename[:100])
	ratio = info.file_size / max(info.compress_size, 1)
	if info.file_size >= ZIP_RATIO_CHECK_FROM_BYTES and ratio > MAX_ZIP_COMPRESSION_RATIO:
		raise MijnroodFileError(
			"{0}: '{1}' is compressed suspiciously well (zip bomb?)", source, info.filename[:100]
		)


def is_safe_entry_name(name: str) -> bool:
	"""True unless the name is absolute, has a drive letter, or climbs out with ``..``."""
	normal = name.replace("\\", "/")
	if not normal or normal.startswith("/") or (len(normal) > 1 and normal[1] == ":") or "\x00" in normal:
		return False
	return ".." not in normal.split("/") and not posixpath.isabs(normal)


def read_entry(archive: zipfile.ZipFile, name: str, source: str) -> bytes:
	"""Read one entry into memory, never more than the size limit, whatever its header claims."""
	try:
		with archive.open(name) as entry:
			data = entry.read(MAX_ZIP_ENTRY_BYTES + 1)
	except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError):
		raise MijnroodFileError("{0}: '{1}' cannot be unpacked", source, name[:100]) from None
	if len(data) > MAX_ZIP_ENTRY_BYTES:
		raise MijnroodFileError("{0}: '{1}' is too large", source, name[:100])
	return data
