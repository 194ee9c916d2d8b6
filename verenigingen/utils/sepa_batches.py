"""Public API for Direct Debit Batches: fill, preview, file, download, submission, bank outcomes."""

import frappe

from verenigingen.permissions import require_roles, require_staff
from verenigingen.sepa import BATCH, bank_returns, collections
from verenigingen.sepa.permissions import SEPA_MANAGERS


@frappe.whitelist()
def fill_batch(batch_name: str) -> dict:
	"""Put the members due on the batch's collection date in it; return the preview totals."""
	require_roles(*SEPA_MANAGERS)
	return collections.fill_batch(batch_name)


@frappe.whitelist()
def get_batch_preview(batch_name: str) -> dict:
	"""Count, total and breakdowns of a batch."""
	require_staff()
	doc = frappe.get_doc(BATCH, batch_name)
	doc.check_permission("read")
	return collections.preview(doc)


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
		frappe.throw(frappe._("Direct Debit Batch {0} has no file yet").format(doc.name))
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
