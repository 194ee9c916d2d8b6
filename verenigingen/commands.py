"""bench commands of the app (found by bench through ``verenigingen.commands.commands``)."""

import sys

import click
from frappe.commands import get_site, pass_context


@click.command("verenigingen-setup-bulk-queue")
@click.option("--timeout", default=None, type=int, help="Job timeout in seconds for the bulk queue")
@click.option("--workers", default=None, type=int, help="Number of bulk worker processes")
@pass_context
def setup_bulk_queue(context, timeout=None, workers=None):
	"""Add workers.bulk to sites/common_site_config.json when it is missing."""
	import frappe

	from verenigingen.core.worker_config import procfile_worker_line
	from verenigingen.setup.bulk_queue import ensure_bulk_queue_configured

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		settings = frappe.get_single("Verenigingen Settings")
		changed = ensure_bulk_queue_configured(
			timeout or settings.bulk_worker_timeout or 3600, workers or settings.bulk_background_workers or 2
		)
	finally:
		frappe.destroy()
	click.echo("workers.bulk added to common_site_config.json" if changed else "workers.bulk already configured")
	click.echo("Run a worker for it, e.g. in your Procfile:")
	click.echo("  " + procfile_worker_line())


@click.command("import-mijnrood")
@click.argument("path")
@click.option("--validate-only", is_flag=True, default=False, help="Check the file and show the plan; import nothing")
@click.option("--create-accounts/--no-create-accounts", default=None,
	help="Queue user accounts for eligible members (default: Verenigingen Settings)")
@click.option("--send-welcome-emails/--no-send-welcome-emails", default=None,
	help="Send the new accounts a welcome email (default: Verenigingen Settings)")
@pass_context
def import_mijnrood(context, path, validate_only=False, create_accounts=None, send_welcome_emails=None):
	"""Import members from a Mijnrood export (.xlsx, .csv, .zip or the export-everything folder)."""
	import frappe

	from verenigingen.member_import.cli import import_from_path

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		code = import_from_path(path, validate_only=validate_only, create_accounts=create_accounts,
			send_welcome_emails=send_welcome_emails)
	finally:
		frappe.destroy()
	sys.exit(code)


@click.command("verenigingen-demo")
@click.option("--members", default=300, type=int, help="Members in the generated demo export")
@click.option("--seed", default=2026, type=int, help="Seed of the generated export (same seed, same members)")
@pass_context
def demo(context, members=300, seed=2026):
	"""Make this site the quickstart's demo: generated export imported with accounts, mandates, a batch."""
	import json

	import frappe

	from verenigingen.demo.site import setup_demo

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		summary = setup_demo(members, seed)
	finally:
		frappe.destroy()
	click.echo("DEMO " + json.dumps(summary, sort_keys=True, default=str))


@click.command("verenigingen-run")
@click.argument("action", type=click.Choice(["pause", "resume"]))
@click.argument("tracker")
@pass_context
def run_control(context, action, tracker):
	"""Pause or resume a bulk account run (its Bulk Operation Tracker), e.g. verenigingen-run pause BOT-00001."""
	import frappe

	from verenigingen.utils import account_creation_manager as api

	frappe.init(site=get_site(context))
	frappe.connect()
	code = 0
	try:
		method = api.pause_bulk_operation if action == "pause" else api.resume_bulk_operation
		try:
			result = method(tracker)
			# The command's own transaction; a resume's batch jobs are enqueued after this commit.
			frappe.db.commit()
			click.echo(result["message"])
		except (frappe.ValidationError, frappe.PermissionError) as exc:
			frappe.db.rollback()
			click.secho(str(exc), fg="red", err=True)
			code = 1
	finally:
		frappe.destroy()
	sys.exit(code)


@click.command("verenigingen-status")
@click.option("--json", "as_json", is_flag=True, default=False, help="Print the status as JSON (schema 1)")
@click.option("--lang", default=None, help="Language of the text (default: the site's, from System Settings)")
@pass_context
def verenigingen_status(context, as_json=False, lang=None):
	"""Runs, queues and workers, open alerts and the last import; exit code 0 when nothing needs an operator.

	Exit codes add up: 4 members wait and no bulk worker runs, 8 a Critical alert is open, 16 the
	queues could not be read (docs/monitoring/OPERATIONS_MANUAL.md).
	"""
	import frappe

	from verenigingen.monitoring.operator_status import collect_status
	from verenigingen.monitoring.status_text import render_text, status_json

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		frappe.local.lang = lang or frappe.db.get_single_value("System Settings", "language") or "en"
		status = collect_status()
		click.echo(status_json(status) if as_json else render_text(status))
	finally:
		frappe.destroy()
	sys.exit(status["exit_code"])


commands = [setup_bulk_queue, import_mijnrood, demo, run_control, verenigingen_status]
