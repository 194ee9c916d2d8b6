"""Job body of "Validate": read, check and plan the whole file and store the preview; nothing else is written."""

import json

import frappe

from verenigingen.core import import_status
from verenigingen.core.import_plan import ERROR, SKIP, count_actions
from verenigingen.core.mijnrood import MijnroodFileError
from verenigingen.member_import import DOCTYPE
from verenigingen.member_import.chapters import resolve_chapters
from verenigingen.member_import.failures import log_failure
from verenigingen.member_import.messages import message_text
from verenigingen.member_import.planning import plan_against_site
from verenigingen.member_import.preview import build_preview, conflict_reasons
from verenigingen.member_import.progress import publish_progress
from verenigingen.member_import.runs import fail_run, load_run
from verenigingen.member_import.source import read_upload


def run_validation(import_name: str, run: int | None = None) -> dict:
	"""Validate the attached file against the stored members; store counts, preview and row errors."""
	doc = load_run(import_name, run)
	if not doc:
		return {}
	try:
		values = plan_whole_file(doc, read_upload(doc))
	except MijnroodFileError as exc:
		return fail_validation(import_name, message_text(exc.message))
	except Exception as exc:  # noqa: BLE001 - record why, so the form does not stay "Validating"
		frappe.db.rollback()
		return fail_validation(import_name, log_failure(exc, import_name, "validation"))
	values["status"] = import_status.VALIDATED
	frappe.db.set_value(DOCTYPE, import_name, values)
	# Commit the job's only result, the validation figures on the import itself.
	frappe.db.commit()
	publish_progress(import_name)
	return values


def plan_whole_file(doc, upload) -> dict:
	"""Counts, preview and match conflicts for the whole file, without creating anything."""
	rows = upload.parsed.rows
	chapter_of, new_chapters = resolve_chapters(rows, upload.divisions, create=False, import_name=doc.name)
	planned = plan_against_site(rows, chapter_of, upload.encoding)
	actions, summary = count_actions(planned), upload.parsed.summary()
	return {
		"file_format": upload.parsed.format,
		"total_rows": summary["total"],
		"valid_rows": summary["valid"],
		"error_count": actions[ERROR],
		"skipped_count": actions[SKIP],
		"preview_data": build_preview(planned, upload.parsed.format, new_chapters),
		"import_failures": json.dumps(conflict_reasons(planned), ensure_ascii=False),
	}


def fail_validation(import_name: str, message: str) -> dict:
	fail_run(import_name, message)
	return {"status": import_status.FAILED, "failure_message": message}
