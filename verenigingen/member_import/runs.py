"""One live run per import: starting a run, its job, recognising a dead one, and failing it cleanly."""

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime
from frappe.utils.background_jobs import get_job

from verenigingen.core import import_status
from verenigingen.member_import import (
	DOCTYPE,
	IMPORT_JOB,
	JOB_TIMEOUT_SECONDS,
	QUEUE,
	VALIDATE_JOB,
	reset_values,
)
from verenigingen.member_import.progress import publish_progress

RUN_FIELDS = ("name", "status", "import_run", "progress_at", "rows_done")


def job_id(import_name: str, run: int) -> str:
	"""The RQ job id of one run: a second enqueue of the same run is a no-op."""
	return f"verenigingen-mijnrood-import-{import_name}-r{run}"


def job_state(import_name: str, run: int | None) -> str | None:
	"""The RQ status of the run's job as a plain string, or None when there is no such job."""
	job = get_job(job_id(import_name, run)) if run else None
	if not job:
		return None
	status = job.get_status(refresh=True)
	return str(getattr(status, "value", status))


def is_run_stale(doc) -> bool:
	"""True when the import claims to be running but no live job is behind it."""
	progress_at = get_datetime(doc.progress_at) if doc.get("progress_at") else None
	state = job_state(doc.name, doc.get("import_run")) if doc.status in import_status.RUNNING else None
	return import_status.is_stale(doc.status, state, progress_at, now_datetime())


def begin_run(import_name: str, status: str) -> int:
	"""Move the import to Validating/Importing under a row lock and return the new run number."""
	# Lock the row: two clicks at once must not both start a run.
	row = frappe.db.get_value(DOCTYPE, import_name, RUN_FIELDS, as_dict=True, for_update=True)
	if not row:
		frappe.throw(_("{0} {1} not found").format(_(DOCTYPE), import_name), frappe.DoesNotExistError)
	allowed = import_status.can_validate if status == import_status.VALIDATING else import_status.can_start
	if not allowed(row.status, is_run_stale(row)):
		frappe.throw(_("This import is {0}; it cannot be started now").format(_(row.status)))
	run = (row.import_run or 0) + 1
	values = {"status": status, "import_run": run, "progress_at": now_datetime(), "failure_message": None}
	if status == import_status.VALIDATING or not import_status.resumes(row.status, row.rows_done or 0):
		values = {**reset_values(), **values}
		if status == import_status.IMPORTING and row.status == import_status.VALIDATED:
			values.pop("preview_data")  # keep the preview the user just looked at
	frappe.db.set_value(DOCTYPE, import_name, values)
	return run


def enqueue_run(import_name: str, run: int, status: str) -> str:
	"""Queue the run's job on the long queue after commit; the payload is the import's name and run."""
	method = VALIDATE_JOB if status == import_status.VALIDATING else IMPORT_JOB
	frappe.enqueue(
		method,
		queue=QUEUE,
		timeout=JOB_TIMEOUT_SECONDS,
		job_id=job_id(import_name, run),
		deduplicate=True,
		enqueue_after_commit=True,
		import_name=import_name,
		run=run,
	)
	return job_id(import_name, run)


def load_run(import_name: str, run: int | None):
	"""The import for a job, or None when a newer run has taken over."""
	doc = frappe.get_doc(DOCTYPE, import_name)
	doc.check_permission("write")
	if run is not None and int(run) != (doc.import_run or 0):
		return None
	return doc


def fail_run(import_name: str, message: str) -> None:
	"""Record a whole-run failure after rolling back the unfinished chunk."""
	frappe.db.rollback()
	frappe.db.set_value(
		DOCTYPE,
		import_name,
		{
			"status": import_status.FAILED,
			"failure_message": message,
			"eta": None,
			"progress_at": now_datetime(),
		},
	)
	# Commit the Failed status on its own: the work of the failed chunk was rolled back above.
	frappe.db.commit()
	publish_progress(import_name)
