"""The quickstart's demo site: a generated Mijnrood export imported with accounts, mandates and a batch.

``bench --site S verenigingen-demo`` (scripts/quickstart.sh runs it). Every step goes through the
app's real paths: the import is ``bench import-mijnrood --create-accounts`` (member_import/cli.py),
its accounts and SEPA mandates are the bulk runs the import queues on the `bulk` queue, and the
Direct Debit Batch is filled and its pain.008 file made by sepa/collections.py. Safe to run again:
a finished demo import, and the demo batch, are found and kept; nothing is made twice.
"""

import os
import tempfile
import time

import click
import frappe
from frappe.utils import add_months, cint, get_first_day, getdate, now_datetime, today

from verenigingen.account_creation import TRACKER
from verenigingen.core import import_status
from verenigingen.core.bulk_progress import FINISHED_STATUSES
from verenigingen.member_import import DOCTYPE as IMPORT
from verenigingen.member_import.cli import import_from_path, run_with_progress_bar
from verenigingen.sepa import BATCH, MANDATE, collections
from verenigingen.shared.scheduler_activity import forget_scheduler_verdict

DEMO_COUNT, DEMO_SEED = 300, 2026
# The association's account for the pain.008 file: the IBAN and creditor id are the standard
# published examples, valid by their check digits and owned by no one.
CREDITOR = {
	"creditor_name": "Vereniging Demo",
	"creditor_iban": "NL91ABNA0417164300",
	"creditor_identifier": "NL69ZZZ123456780000",
}
BATCH_DESCRIPTION = "Contributie (demo)"
ACTIVITY_SUBJECT = "Verenigingen demo set up by scripts/quickstart.sh"
SETUP_ARGS = {"language": "English", "country": "Netherlands", "timezone": "Europe/Amsterdam", "currency": "EUR"}
RUN_TIMEOUT_S = 1800
POLL_S = 2


def setup_demo(count: int = DEMO_COUNT, seed: int = DEMO_SEED) -> dict:
	"""Bring the site to the demo state (see the module docstring) and return what it holds."""
	complete_setup_wizard()
	configure_settings()
	record_activity()
	before = demo_state(count, seed)
	import_name = import_demo_export(count, seed)
	wait_for_runs(import_name)
	batch = ensure_batch()
	summary = demo_summary(import_name, batch)
	summary["unchanged"] = before == (import_name, batch)
	if summary["unchanged"]:
		click.echo("Nothing new: the demo import, its runs and the batch were already there (only the activity mark was refreshed)")
	return summary


def demo_state(count: int, seed: int) -> tuple[str | None, str | None]:
	"""The finished demo import and the demo batch, where they exist."""
	found = find_demo_import(demo_filename(count, seed))
	finished = found.name if found and found.status in import_status.FINISHED else None
	return finished, frappe.db.get_value(BATCH, {"description": BATCH_DESCRIPTION}, "name")


def complete_setup_wizard() -> None:
	"""Desk sends every user to the setup wizard until it is done: run it once, without making a User."""
	if cint(frappe.db.get_single_value("System Settings", "setup_complete")):
		return
	from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

	click.echo("Completing Frappe's setup wizard (Netherlands, EUR, Europe/Amsterdam)")
	setup_complete(SETUP_ARGS)
	frappe.db.commit()  # the wizard's settings must be in place before the import runs


def configure_settings() -> None:
	"""A creditor for the SEPA file and no welcome e-mails; values someone set are kept."""
	ensure_default_currency()
	settings = frappe.get_doc("Verenigingen Settings")
	missing = {field: value for field, value in CREDITOR.items() if not settings.get(field)}
	if not missing and not settings.send_welcome_emails:
		return
	settings.update({**missing, "send_welcome_emails": 0})
	settings.save()
	frappe.db.commit()


def ensure_default_currency() -> None:
	"""EUR as the site's default currency, as ERPNext's setup would set it; one set before is kept.

	Frappe's own setup wizard ignores its currency argument, and Desk shows an amount whose field
	names no currency in the default currency: without one, the first enabled currency's symbol.
	"""
	if frappe.db.get_default("currency"):
		return
	frappe.db.set_default("currency", SETUP_ARGS["currency"])
	frappe.db.commit()
	frappe.clear_cache()


def record_activity() -> None:
	"""Make the site count as active for Frappe's scheduler (``frappe.utils.scheduler.is_dormant``).

	A site whose newest Activity Log row is older than ``dormant_days`` (4) runs its scheduled jobs
	only once a day; a new demo site has none, so its retries, recovery and alerts would wait a day.
	One row, refreshed on every run of the quickstart, keeps it active for 4 days after that run.
	"""
	name = frappe.db.get_value("Activity Log", {"subject": ACTIVITY_SUBJECT}, "name")
	if name:
		frappe.db.set_value("Activity Log", name, "communication_date", now_datetime())
	else:
		frappe.get_doc(
			{
				"doctype": "Activity Log",
				"subject": ACTIVITY_SUBJECT,
				"status": "Success",
				"user": frappe.session.user,
				"communication_date": now_datetime(),
			}
		).insert()
	forget_scheduler_verdict()
	frappe.db.commit()


def demo_filename(count: int, seed: int) -> str:
	return f"Export Ledendatabase demo-{count}-{seed}.xlsx"


def find_demo_import(filename: str) -> dict | None:
	"""The newest import of the demo file, by the attached file's name."""
	rows = frappe.db.sql(
		"""select i.name, i.status from `tabMijnrood CSV Import` i
		join `tabFile` f on f.file_url = i.import_file
		where f.file_name = %(file)s order by i.creation desc limit 1""",
		{"file": filename},
		as_dict=True,
	)
	return rows[0] if rows else None


def import_demo_export(count: int, seed: int) -> str:
	"""Import the generated export with accounts, as ``bench import-mijnrood --create-accounts`` does."""
	from verenigingen.demo.mijnrood_export import export_bytes

	filename = demo_filename(count, seed)
	found = find_demo_import(filename)
	if found and found.status in import_status.FINISHED:
		click.echo(f"Demo import {found.name} is already done ({found.status}): kept")
		return found.name
	if found:
		click.echo(f"Demo import {found.name} is {found.status}: resuming it")
		run_with_progress_bar(found.name)
		return found.name
	data, _generated_name = export_bytes("xlsx", count=count, seed=seed, defects=True)
	with tempfile.TemporaryDirectory() as folder:
		path = os.path.join(folder, filename)
		with open(path, "wb") as handle:
			handle.write(data)
		code = import_from_path(path, validate_only=False, create_accounts=True, send_welcome_emails=False)
	found = find_demo_import(filename)
	if code or not found:
		raise click.ClickException(f"the demo import failed{f' ({found.name})' if found else ''}")
	return found.name


def wait_for_runs(import_name: str, timeout_s: float = RUN_TIMEOUT_S) -> list[dict]:
	"""Wait until the import's bulk runs (accounts, mandates) are finished; they need `bulk` workers."""
	deadline, shown = time.monotonic() + timeout_s, None
	while True:
		frappe.db.rollback()  # see the workers' commits
		runs = frappe.get_all(
			TRACKER,
			filters={"source_import": import_name},
			fields=["name", "operation_type", "status", "total", "processed", "successful", "failed"],
			order_by="creation asc",
		)
		line = "; ".join(f"{run.operation_type} {run.name}: {run.processed}/{run.total} {run.status}" for run in runs)
		if line != shown:
			click.echo(f"  {line or 'no bulk runs'}")
			shown = line
		if all(run.status in FINISHED_STATUSES for run in runs):
			return runs
		if time.monotonic() > deadline:
			raise click.ClickException(
				f"the demo's bulk runs did not finish in {timeout_s:.0f} s: is a `bench worker --queue bulk` running?"
			)
		time.sleep(POLL_S)


def collection_date() -> str:
	"""The first of next month: the usual day for a monthly contribution, never in the past."""
	return str(get_first_day(add_months(getdate(today()), 1)))


def ensure_batch() -> str | None:
	"""The demo's Direct Debit Batch, filled and with its pain.008 file; made once."""
	name = frappe.db.get_value(BATCH, {"description": BATCH_DESCRIPTION}, "name")
	if name:
		click.echo(f"Direct Debit Batch {name} is already there: kept")
		return name
	batch = frappe.get_doc(
		{"doctype": BATCH, "collection_date": collection_date(), "description": BATCH_DESCRIPTION}
	).insert()
	preview = collections.fill_batch(batch.name)
	if preview["count"]:
		collections.generate_file(batch.name)
	# Commit the batch with its entries, file and audit events together, as a Desk request would.
	frappe.db.commit()
	click.echo(
		f"Direct Debit Batch {batch.name}: {preview['count']} collections, EUR {preview['control_sum']},"
		f" on {batch.collection_date}"
	)
	return batch.name


def demo_summary(import_name: str, batch: str | None) -> dict:
	"""What the demo site holds, for the quickstart's output and its test."""
	doc = frappe.db.get_value(
		IMPORT, import_name, ["status", "created_count", "error_count", "skipped_count"], as_dict=True
	)
	return {
		"import": import_name,
		"import_status": doc.status,
		"members": frappe.db.count("Member"),
		"members_with_login": frappe.db.count("Member", {"user": ("is", "set")}),
		"active_mandates": frappe.db.count(MANDATE, {"status": "Active"}),
		"runs": {run.operation_type: f"{run.status} ({run.successful}/{run.total})" for run in frappe.get_all(
			TRACKER, filters={"source_import": import_name}, fields=["operation_type", "status", "successful", "total"]
		)},
		"batch": batch,
		"batch_entries": frappe.db.get_value(BATCH, batch, "entry_count") if batch else 0,
	}
