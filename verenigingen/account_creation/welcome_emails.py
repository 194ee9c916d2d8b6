"""Welcome emails in waves, so a bulk run never floods Frappe's email queue."""

import frappe

from verenigingen.account_creation import REQUEST


def pending_email_queue_size() -> int:
	return frappe.db.count("Email Queue", {"status": ("in", ("Not Sent", "Sending"))})


def has_outgoing_email_account() -> bool:
	return bool(frappe.db.exists("Email Account", {"enable_outgoing": 1, "default_outgoing": 1}))


def send_welcome_email_wave() -> int:
	"""Send at most one wave of welcome emails; fewer when the email queue is still busy.

	Without a default outgoing Email Account nothing is sent and the mails stay pending,
	so they go out once the administrator has set one up.
	"""
	if not has_outgoing_email_account():
		return 0
	settings = frappe.get_cached_doc("Verenigingen Settings")
	room = (settings.welcome_email_wave_size or 0) - pending_email_queue_size()
	if room <= 0:
		return 0
	due = frappe.get_all(
		REQUEST,
		filters={"status": "Completed", "send_welcome_email": 1, "welcome_email_sent": 0},
		fields=["name", "created_user"],
		order_by="processed_at asc",
		limit_page_length=room,
	)
	sent = 0
	for row in due:
		try:
			frappe.get_doc("User", row.created_user).send_welcome_mail_to_user()
			frappe.db.set_value(REQUEST, row.name, "welcome_email_sent", 1, update_modified=False)
			sent += 1
		except Exception:
			frappe.log_error(title="Welcome email failed", reference_doctype=REQUEST, reference_name=row.name)
	return sent
