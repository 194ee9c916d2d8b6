"""Public API for Direct Debit Batches: fill, preview, pre-notification, file, download, submission, outcomes."""

import frappe
from frappe import _

from verenigingen.permissions import require_roles, require_staff
from verenigingen.sepa import BATCH, bank_returns, collections, prenotification, submission_rules
from verenigingen.sepa.permissions import SEPA_MANAGERS


@frappe.whitelist()
def fill_batch(batch_name: str) -> dict:
	"""Put the members due on the batch's collection date in it; return the preview totals."""
	require_roles(*SEPA_MANAGERS)
	return collections.fill_batch(batch_name)


def _readable_batch(batch_name: str):
	"""The batch, for staff who may read it."""
	require_staff()
	doc = frappe.get_doc(BATCH, batch_name)
	doc.check_permission("read")
	return doc


@frappe.whitelist()
def get_batch_preview(batch_name: str) -> dict:
	"""Count, total and breakdowns of a batch."""
	return collections.preview(_readable_batch(batch_name))


@frappe.whitelist()
def generate_batch_file(batch_name: str) -> dict:
	"""Make and store the schema-validated pain.008.001.02 file."""
	require_roles(*SEPA_MANAGERS)
	return collections.generate_file(batch_name)


@frappe.whitelist()
def download_batch_file(batch_name: str) -> None:
	"""Send the batch's pain.008 file as a download (it holds full IBANs: managers of SEPA only)."""
	require_roles(*SEPA_MANAGERS)
	doc = frappe.get_doc(BATCH, batch_name)
	doc.check_permission("write")
	if not doc.xml_file:
		frappe.throw(_("Direct Debit Batch {0} has no file yet").format(doc.name))
	file = frappe.get_doc("File", doc.xml_file)
	frappe.local.response.update(filename=file.file_name, filecontent=file.get_content(), type="download")


@frappe.whitelist()
def mark_batch_submitted(batch_name: str) -> dict:
	"""Record that the file went to the bank."""
	require_roles(*SEPA_MANAGERS)
	return collections.mark_submitted(batch_name)


@frappe.whitelist()
def record_collection_outcome(
	batch_name: str, member: str, status: str, reason_code: str | None = None
) -> dict:
	"""Record the bank's outcome for one member's collection (Collected, Rejected, Reversed)."""
	require_roles(*SEPA_MANAGERS)
	return collections.record_outcome(batch_name, member, status, reason_code)


@frappe.whitelist()
def import_bank_return(batch_name: str, file_url: str) -> dict:
	"""Apply an uploaded pain.002 or camt.054 file: rejected and returned collections, with reason codes."""
	require_roles(*SEPA_MANAGERS)
	return bank_returns.apply_bank_return(batch_name, bank_returns.read_attached_file(file_url))


@frappe.whitelist()
def send_prenotifications(batch_name: str) -> dict:
	"""Queue the pre-notification e-mails of the batch's members not notified yet (a `long` job)."""
	require_roles(*SEPA_MANAGERS)
	return prenotification.queue_prenotifications(batch_name)


def send_batch_prenotifications(batch_name: str) -> dict:
	"""Job entry (not whitelisted): the e-mails of one batch, chunk by chunk."""
	return prenotification.send_notifications(batch_name)


@frappe.whitelist()
def get_notification_status(batch_name: str) -> dict:
	"""Notification state, the notice needed and the earliest valid collection dates of a batch."""
	return submission_rules.readiness(_readable_batch(batch_name))


@frappe.whitelist()
def get_collection_date_limits() -> dict:
	"""The earliest collection date the bank accepts today, and the earliest with the full notice."""
	require_staff()
	return submission_rules.date_limits()


@frappe.whitelist()
def record_shorter_notice_period(batch_name: str, days: str | int, reason: str) -> dict:
	"""Record a notice period shorter than Settings' one, agreed with the members (audited)."""
	require_roles(*SEPA_MANAGERS)
	days = parse_int(days, _("Agreed Notice Period (days)"), minimum=0)
	if days is None:
		frappe.throw(_("Agreed Notice Period (days) is required"))
	return prenotification.record_agreed_notice(batch_name, days, reason)
