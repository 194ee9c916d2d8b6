"""The export side: the newest completed import's file, parsed with the core parser and cached per version."""

import frappe
from frappe import _

from verenigingen.core import import_status
from verenigingen.core.mijnrood import MijnroodFileError
from verenigingen.core.reconciliation import ExportEntry, export_entries
from verenigingen.member_import import DOCTYPE
from verenigingen.member_import.messages import message_text
from verenigingen.member_import.source import read_upload

# A 50,000-row export takes 8-20 s to parse; the report is refreshed far more often than imports run.
CACHE_SECONDS = 3600
CACHE_PREFIX = "verenigingen:reconciliation:export"


def latest_import() -> str | None:
	"""The newest import that finished (Completed, or Completed with Errors) and that the user may read."""
	names = frappe.get_list(
		DOCTYPE,
		filters={"status": ("in", sorted(import_status.FINISHED))},
		order_by="finished_at desc, modified desc",
		limit_page_length=1,
		pluck="name",
	)
	return names[0] if names else None


def read_entries(import_name: str) -> tuple[list[ExportEntry] | None, str | None]:
	"""The import's rows as entries, or None and the reason its file cannot be used."""
	doc = frappe.get_doc(DOCTYPE, import_name)
	doc.check_permission("read")
	key = f"{CACHE_PREFIX}:{doc.name}:{doc.modified}:{doc.import_file}"
	cached = frappe.cache.get_value(key)
	if cached is not None:
		return cached, None
	try:
		entries = export_entries(read_upload(doc).parsed.rows)
	except MijnroodFileError as error:
		return None, _("The file of import {0} cannot be read: {1}").format(doc.name, message_text(error.message))
	frappe.cache.set_value(key, entries, expires_in_sec=CACHE_SECONDS)
	return entries, None
