"""A failure as the user reads it (the message Frappe showed, IBANs masked), and unexpected errors
logged once: used by the Mijnrood import and the mandate run alike."""

import frappe
from frappe import _
from frappe.utils import strip_html_tags

from verenigingen.core.masking import mask_ibans_in_text

# data problems the user can fix; anything else is a bug or an outage and is logged
EXPECTED_ERRORS = (frappe.ValidationError, frappe.PermissionError)


def failure_reason(exc: Exception) -> str:
	"""A one-line reason for the error report: the message Frappe showed, else the error type."""
	messages = frappe.get_message_log()
	text = messages[-1].get("message") if messages and isinstance(messages[-1], dict) else ""
	if isinstance(exc, EXPECTED_ERRORS):
		text = text or (str(exc) if exc.args and isinstance(exc.args[0], str) else "")
	if not text:
		text = _("unexpected error ({0}); details are in the Error Log").format(type(exc).__name__)
	return mask_ibans_in_text(" ".join(strip_html_tags(str(text)).split()))


def reason_and_log(exc: Exception, title: str, reference_doctype: str, reference_name: str) -> str:
	"""The user's reason for a failure; an unexpected error also goes to the Error Log once, masked."""
	reason = failure_reason(exc)
	frappe.clear_messages()
	if not isinstance(exc, EXPECTED_ERRORS):
		frappe.log_error(
			title=title,
			message=mask_ibans_in_text(frappe.get_traceback()),
			reference_doctype=reference_doctype,
			reference_name=reference_name,
		)
	return reason
