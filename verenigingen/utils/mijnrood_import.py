"""Public API of the Mijnrood import (form buttons, JS, bench execute) and its job entry points.

Every whitelisted method checks the caller's roles and document permission first. The job
entry points are not whitelisted: only workers call them, with the import's name and run number.
"""

import frappe

from verenigingen.core import import_status
from verenigingen.core.mijnrood import MijnroodFileError
from verenigingen.member_import import DOCTYPE, runs
from verenigingen.member_import.accounts import plan_accounts
from verenigingen.member_import.importer import run_import
from verenigingen.member_import.messages import message_text
from verenigingen.member_import.report import error_report
from verenigingen.member_import.validation import run_validation
from verenigingen.permissions import STAFF_ROLES, require_roles

IMPORT_ROLES = tuple(sorted(STAFF_ROLES))
PROGRESS_FIELDS = (
	"name",
	"status",
	"rows_done",
	"total_rows",
	"eta",
	"failure_message",
	"bulk_operation_tracker",
	"created_count",
	"updated_count",
	"unchanged_count",
	"skipped_count",
	"error_count",
)
TRACKER_FIELDS = ("status", "total", "processed", "successful", "failed", "eta")


def _check(import_name: str, ptype: str) -> None:
	require_roles(*IMPORT_ROLES)
	frappe.has_permission(DOCTYPE, ptype, import_name, throw=True)


@frappe.whitelist(methods=["POST"])
def validate_import(import_name: str) -> dict:
	"""Check the file and preview the import in the background (long queue); writes nothing else."""
	_check(import_name, "write")
	run = runs.begin_run(import_name, import_status.VALIDATING)
	return {
		"import": import_name,
		"status": import_status.VALIDATING,
		"job_id": runs.enqueue_run(import_name, run, import_status.VALIDATING),
	}


@frappe.whitelist(methods=["POST"])
def start_import(import_name: str) -> dict:
	"""Import the file in the background (long queue); after a failure this resumes where it stopped."""
	_check(import_name, "write")
	frappe.has_permission("Member", "create", throw=True)
	run = runs.begin_run(import_name, import_status.IMPORTING)
	return {
		"import": import_name,
		"status": import_status.IMPORTING,
		"job_id": runs.enqueue_run(import_name, run, import_status.IMPORTING),
	}


@frappe.whitelist()
def download_errors(import_name: str) -> None:
	"""Send the refused rows as a file like the upload, with a reason column."""
	_check(import_name, "read")
	doc = frappe.get_doc(DOCTYPE, import_name)
	try:
		filename, content = error_report(doc)
	except MijnroodFileError as exc:
		frappe.throw(message_text(exc.message))
	frappe.response["filename"] = filename
	frappe.response["filecontent"] = content
	frappe.response["type"] = "download"


@frappe.whitelist()
def get_import_progress(import_name: str) -> dict:
	"""Stored progress of the import and of the account creation it started (for the form's poll)."""
	_check(import_name, "read")
	progress = frappe.db.get_value(
		DOCTYPE, import_name, (*PROGRESS_FIELDS, "import_run", "progress_at"), as_dict=True
	)
	progress["stale"] = runs.is_run_stale(progress)
	tracker = progress.bulk_operation_tracker
	if tracker and frappe.has_permission("Bulk Operation Tracker", "read", tracker):
		progress["tracker"] = frappe.db.get_value(
			"Bulk Operation Tracker", tracker, TRACKER_FIELDS, as_dict=True
		)
	return progress


@frappe.whitelist()
def get_account_plan(import_name: str) -> dict:
	"""The account run Start Import would begin: requests, refusals, batches, workers, expected duration."""
	_check(import_name, "read")
	frappe.has_permission("Account Creation Request", "create", throw=True)
	try:
		return plan_accounts(frappe.get_doc(DOCTYPE, import_name))
	except MijnroodFileError as exc:
		frappe.throw(message_text(exc.message))


@frappe.whitelist()
def get_import_defaults() -> dict:
	"""The Settings' defaults for a new import's options."""
	require_roles(*IMPORT_ROLES)
	frappe.has_permission(DOCTYPE, "create", throw=True)
	settings = frappe.get_cached_doc("Verenigingen Settings")
	return {
		"create_user_accounts": int(bool(settings.create_user_accounts_on_import)),
		"send_welcome_emails": int(bool(settings.send_welcome_emails)),
	}


def process_validation(import_name: str, run: int | None = None) -> dict:
	"""Job entry point of Validate (long queue)."""
	return run_validation(import_name, run)


def process_import(import_name: str, run: int | None = None) -> dict:
	"""Job entry point of Start Import (long queue)."""
	return run_import(import_name, run)
