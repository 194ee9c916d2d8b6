"""``bench --site S import-mijnrood PATH``: the form's Validate and Start Import, in the terminal."""

import io
import json
import os
import time
import zipfile
from pathlib import Path

import click
import frappe

from verenigingen.core import import_status
from verenigingen.core.mijnrood import MijnroodFileError
from verenigingen.core.mijnrood.everything import read_everything_directory
from verenigingen.core.mijnrood.parse import display_name
from verenigingen.core.run_plan import NO_WORKER
from verenigingen.member_import import DOCTYPE
from verenigingen.member_import.accounts import plan_accounts
from verenigingen.member_import.importer import run_import
from verenigingen.member_import.messages import message_text
from verenigingen.member_import.runs import begin_run
from verenigingen.member_import.validation import run_validation

PROBLEM_ROWS_SHOWN = 20
EXIT_OK, EXIT_UNREADABLE = 0, 1


def import_from_path(
	path: str, *, validate_only: bool, create_accounts: bool | None, send_welcome_emails: bool | None
) -> int:
	"""Validate (and unless told otherwise import) a file or export-everything folder; return the exit code."""
	try:
		data, filename = read_path(path)
	except MijnroodFileError as exc:
		click.secho(message_text(exc.message), fg="red", err=True)
		return EXIT_UNREADABLE
	name = create_import(data, filename, create_accounts, send_welcome_emails)
	click.echo(f"{DOCTYPE} {name}: checking {display_name(filename)}")
	run_validation(name, begin_run(name, import_status.VALIDATING))
	doc = frappe.get_doc(DOCTYPE, name)
	if doc.status == import_status.FAILED:
		click.secho(doc.failure_message, fg="red", err=True)
		return EXIT_UNREADABLE
	echo_validation(doc)
	if doc.create_user_accounts:
		echo_account_plan(plan_accounts(doc))
	if validate_only:
		return EXIT_OK
	return run_with_progress_bar(name)


def read_path(path: str) -> tuple[bytes, str]:
	"""A file as is; an export-everything folder as a ZIP of its three tables (the upload's shape)."""
	# bench runs commands from sites/: also accept a path relative to the bench folder
	candidates = [path] if os.path.isabs(path) else [path, os.path.join("..", path)]
	found = next((p for p in candidates if os.path.exists(p)), None)
	if not found:
		raise MijnroodFileError("{0} was not found", display_name(path))
	if os.path.isdir(found):
		return zipped(read_everything_directory(Path(found))), "export-everything.zip"
	limit_mb = frappe.get_cached_doc("Verenigingen Settings").max_import_file_size_mb or 20
	if os.path.getsize(found) > limit_mb * 1024 * 1024:
		raise MijnroodFileError("{0} is larger than {1} MB", display_name(found), limit_mb)
	with open(found, "rb") as handle:
		return handle.read(), os.path.basename(found)


def zipped(files: dict) -> bytes:
	buffer = io.BytesIO()
	with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
		for name, content in files.items():
			archive.writestr(name, content)
	return buffer.getvalue()


def create_import(data: bytes, filename: str, create_accounts: bool | None, send_welcome: bool | None) -> str:
	"""Store the file privately and create the import record, as an upload through the form would."""
	settings = frappe.get_cached_doc("Verenigingen Settings")
	file = frappe.get_doc(
		{"doctype": "File", "file_name": filename, "content": data, "is_private": 1}
	).insert()
	doc = frappe.get_doc(
		{
			"doctype": DOCTYPE,
			"import_file": file.file_url,
			"create_user_accounts": int(
				settings.create_user_accounts_on_import if create_accounts is None else create_accounts
			),
			"send_welcome_emails": int(
				settings.send_welcome_emails if send_welcome is None else send_welcome
			),
		}
	).insert()
	# Commit the record before the work starts, as a click on the form would have.
	frappe.db.commit()
	return doc.name


def run_with_progress_bar(name: str) -> int:
	started, bar = time.monotonic(), None

	def on_progress(done: int, total: int) -> None:
		nonlocal bar
		if bar is None:
			bar = click.progressbar(length=total, label="Importing", show_eta=True, show_pos=True)
			bar.__enter__()
		bar.update(done - bar.pos)

	run_import(name, begin_run(name, import_status.IMPORTING), on_progress=on_progress)
	if bar is not None:
		bar.__exit__(None, None, None)
	doc = frappe.get_doc(DOCTYPE, name)
	echo_import(doc, time.monotonic() - started)
	return EXIT_UNREADABLE if doc.status == import_status.FAILED else EXIT_OK


def echo_validation(doc) -> None:
	preview = json.loads(doc.preview_data or "{}")
	actions = preview.get("actions", {})
	click.echo(
		f"Format: {doc.file_format}. Rows: {doc.total_rows}, valid: {doc.valid_rows}, "
		f"errors: {doc.error_count}, skipped (duplicates): {doc.skipped_count}"
	)
	click.echo(
		f"Plan: create {actions.get('create', 0)}, update {actions.get('update', 0)}, "
		f"unchanged {actions.get('unchanged', 0)}"
	)
	if preview.get("new_chapters"):
		click.echo("New chapters: " + ", ".join(preview["new_chapters"]))
	problems = [row for row in preview.get("rows", []) if row["reasons"]][:PROBLEM_ROWS_SHOWN]
	for row in problems:
		click.echo(f"  row {row['row']} (Lidnr {row['lidnr'] or '-'}): {'; '.join(row['reasons'])}")
	if doc.error_count + doc.skipped_count > len(problems):
		click.echo(f"  ... see {DOCTYPE} {doc.name} in Desk, or its Download Errors, for all rows")


def echo_account_plan(plan: dict) -> None:
	"""The account run the import starts at its end, with its warnings first."""
	click.echo("User accounts after the import:")
	for code, text in zip(plan["warnings"], plan["warning_messages"]):
		click.secho("  " + text, fg="red" if code == NO_WORKER else "yellow")
	for line in plan["summary"]:
		click.echo("  " + line)


def echo_import(doc, seconds: float) -> None:
	if doc.status == import_status.FAILED:
		click.secho(f"{doc.status}: {doc.failure_message}", fg="red", err=True)
		return
	colour = "green" if doc.status == import_status.COMPLETED else "yellow"
	click.secho(
		f"{doc.status} in {seconds:.1f} s: created {doc.created_count}, updated {doc.updated_count}, "
		f"unchanged {doc.unchanged_count}, skipped {doc.skipped_count}, errors {doc.error_count}",
		fg=colour,
	)
	if doc.failure_message:
		click.secho(doc.failure_message, fg="yellow")
	if doc.bulk_operation_tracker:
		click.echo(
			f"{doc.accounts_queued} user accounts queued: Bulk Operation Tracker "
			f"{doc.bulk_operation_tracker} (needs `bench worker --queue bulk`)"
		)
