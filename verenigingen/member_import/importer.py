"""Job body of "Start Import": chunks of rows with a commit each; a restart resumes after the last one."""

import json

import frappe
from frappe.utils import now_datetime

from verenigingen.core import import_status
from verenigingen.core.import_plan import ERROR, SKIP, tally_outcomes
from verenigingen.core.mijnrood import MijnroodFileError
from verenigingen.member_import import DOCTYPE
from verenigingen.member_import.accounts import queue_accounts
from verenigingen.member_import.chapters import resolve_chapters
from verenigingen.member_import.failures import log_failure
from verenigingen.member_import.messages import message_text
from verenigingen.member_import.planning import plan_against_site
from verenigingen.member_import.preview import conflict_reasons
from verenigingen.member_import.progress import expected_finish, publish_progress, save_progress
from verenigingen.member_import.runs import fail_run, load_run
from verenigingen.member_import.source import read_upload
from verenigingen.member_import.validation import plan_whole_file
from verenigingen.member_import.writer import write_chunk
from verenigingen.erpnext.after_import import queue_import_customers
from verenigingen.sepa.after_import import queue_import_mandates

DEFAULT_CHUNK_SIZE = 500
COUNT_OF = {
	"create": "created_count",
	"update": "updated_count",
	"unchanged": "unchanged_count",
	SKIP: "skipped_count",
	ERROR: "error_count",
}


def run_import(import_name: str, run: int | None = None, on_progress=None) -> dict:
	"""Import the attached file; ``on_progress(done, total)`` is called after each committed chunk."""
	doc = load_run(import_name, run)
	if not doc:
		return {}
	try:
		upload = read_upload(doc)  # a file that cannot be used fails here, before anything is written
	except MijnroodFileError as exc:
		fail_run(import_name, message_text(exc.message))
		return {"status": import_status.FAILED}
	try:
		return import_rows(doc, upload, on_progress)
	except Exception as exc:  # noqa: BLE001 - committed chunks stay; "Start Import" resumes after them
		frappe.db.rollback()
		fail_run(import_name, log_failure(exc, import_name, "import"))
		return {"status": import_status.FAILED}


def import_rows(doc, upload, on_progress=None) -> dict:
	"""Write the rows from ``rows_done`` on, chunk by chunk, then finish (accounts, final status)."""
	rows, start = upload.parsed.rows, doc.rows_done or 0
	counts = {field: doc.get(field) or 0 for field in COUNT_OF.values()}
	failures = json.loads(doc.import_failures or "{}") if start else {}
	started_at = now_datetime()
	save_progress(doc.name, _start_values(doc, upload, started_at, fresh=not start))
	chapter_of, _ = resolve_chapters(rows, upload.divisions, create=True, import_name=doc.name)
	chunk_size = frappe.get_cached_doc("Verenigingen Settings").import_chunk_size or DEFAULT_CHUNK_SIZE
	for offset in range(start, len(rows), chunk_size):
		chunk = rows[offset : offset + chunk_size]
		import_chunk(doc.name, chunk, chapter_of, upload.encoding, counts, failures)
		done = offset + len(chunk)
		eta = expected_finish(started_at, done - start, len(rows) - done)
		commit_chunk(doc.name, {**counts, "rows_done": done, "eta": eta}, failures)
		if on_progress:
			on_progress(done, len(rows))
	return finish_import(doc, rows, counts, failures)


def _start_values(doc, upload, started_at, fresh: bool) -> dict:
	summary = upload.parsed.summary()
	values = {
		"started_at": started_at,
		"finished_at": None,
		"file_format": upload.parsed.format,
		"total_rows": summary["total"],
		"valid_rows": summary["valid"],
	}
	if fresh and not doc.preview_data:
		values["preview_data"] = plan_whole_file(doc, upload)["preview_data"]
	return values


def import_chunk(
	import_name: str, chunk: list, chapter_of: dict, encoding: str | None, counts: dict, failures: dict
) -> None:
	"""Plan the chunk against the current database, write it, and add its outcome to the counts."""
	planned = plan_against_site(chunk, chapter_of, encoding)
	written = write_chunk(planned, import_name)
	for action, number in tally_outcomes(planned, written).items():
		counts[COUNT_OF[action]] += number
	failures.update(conflict_reasons(planned))
	failures.update({str(number): reason for number, reason in written.items()})


def commit_chunk(import_name: str, values: dict, failures: dict) -> None:
	"""Store the chunk's counts and failures with its rows, commit, and tell the open forms."""
	save_progress(import_name, {**values, "import_failures": json.dumps(failures, ensure_ascii=False)})
	# Commit per chunk: a crash loses at most this chunk, and a restart resumes after it.
	frappe.db.commit()
	publish_progress(import_name)


def finish_import(doc, rows: list, counts: dict, failures: dict) -> dict:
	"""Queue accounts when asked, then store the final status."""
	values = queue_accounts(doc, rows, failures) if doc.create_user_accounts else {}
	queue_import_mandates(doc, rows, failures)  # SEPA mandates for members with an IBAN (sepa/after_import.py)
	queue_import_customers(doc, rows, failures)  # ERPNext Customers, when installed (erpnext/after_import.py)
	values.update(
		status=import_status.final_status(counts["error_count"], counts["skipped_count"]),
		finished_at=now_datetime(),
		eta=None,
		progress_at=now_datetime(),
	)
	frappe.db.set_value(DOCTYPE, doc.name, values)
	# Commit the final status; the account batches are enqueued right after this commit.
	frappe.db.commit()
	publish_progress(doc.name)
	return {**counts, **values}
