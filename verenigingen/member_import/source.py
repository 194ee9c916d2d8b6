"""Reading the attached export: a local File the user may read, within the size limit, parsed in memory."""

import os
from dataclasses import dataclass

import frappe
from frappe.utils import get_files_path, getdate

from verenigingen.core.chapter_match import read_division_details
from verenigingen.core.encoding_loss import narrow_encoding
from verenigingen.core.mijnrood import (
	FORMAT_CSV,
	FORMAT_EVERYTHING,
	MijnroodFileError,
	ParsedExport,
	parse_export,
)
from verenigingen.core.mijnrood.everything import read_everything_zip
from verenigingen.core.mijnrood.parse import display_name
from verenigingen.member_import import DOCTYPE

LOCAL_PREFIXES = ("/private/files/", "/files/")
DEFAULT_LIMIT_MB = 20


@dataclass
class Upload:
	"""A parsed upload plus what is needed to create its chapters and write its error report."""

	parsed: ParsedExport
	filename: str
	divisions: dict
	# the narrow encoding the file may have lost letters to (a Dutch Excel CSV), else None
	encoding: str | None = None


def read_upload(doc) -> Upload:
	"""Read and parse the import's file; any problem with the file as a whole raises MijnroodFileError."""
	data, filename = read_file_bytes(doc)
	parsed = parse_export(data, filename, today=getdate())
	divisions = {}
	if parsed.format == FORMAT_EVERYTHING:
		divisions = read_division_details(read_everything_zip(data, display_name(filename)))
	encoding = None
	if parsed.format == FORMAT_CSV:
		encoding = narrow_encoding(parsed.dialect.encoding, data.isascii())
	return Upload(parsed, filename, divisions, encoding)


def read_file_bytes(doc) -> tuple[bytes, str]:
	"""The raw bytes of the attached file (never decoded: the parser detects the encoding)."""
	file = attached_file(doc)
	path = local_path(file)
	limit_mb = frappe.get_cached_doc("Verenigingen Settings").max_import_file_size_mb or DEFAULT_LIMIT_MB
	name = display_name(file.file_name or path)
	if os.path.getsize(path) > limit_mb * 1024 * 1024:
		raise MijnroodFileError("{0} is larger than {1} MB", name, limit_mb)
	with open(path, "rb") as handle:
		return handle.read(limit_mb * 1024 * 1024 + 1), file.file_name or os.path.basename(path)


def attached_file(doc):
	"""The File behind ``import_file``, refused unless the user may read every record of that URL.

	Frappe links any existing file URL typed into an Attach field to the document, so a URL alone
	must never open someone else's private file.
	"""
	url = doc.import_file or ""
	if not url.startswith(LOCAL_PREFIXES):
		raise MijnroodFileError("{0} is not an uploaded file", display_name(url))
	names = frappe.get_all("File", filters={"file_url": url}, pluck="name", order_by="creation asc")
	files = [frappe.get_doc("File", name) for name in names]
	if not files:
		raise MijnroodFileError("{0} was not found", display_name(url))
	if not all(file.has_permission("read") for file in files):
		raise MijnroodFileError("you may not read {0}", display_name(url))
	own = [f for f in files if f.attached_to_doctype == DOCTYPE and f.attached_to_name == doc.name]
	return (own or files)[0]


def local_path(file) -> str:
	"""The file's path on disk, which must lie inside the site's file folders."""
	path = os.path.realpath(file.get_full_path())
	roots = [os.path.realpath(get_files_path(is_private=private)) for private in (0, 1)]
	if not any(path.startswith(root + os.sep) for root in roots) or not os.path.isfile(path):
		raise MijnroodFileError("{0} was not found", display_name(file.file_url or ""))
	return path
