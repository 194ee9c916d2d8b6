"""Telling people about an alert: a realtime event to staff when it opens, e-mail within a cooldown."""

import frappe
from frappe import _
from frappe.query_builder.functions import Max
from frappe.utils import escape_html, get_url_to_form, now_datetime

from verenigingen.account_creation.welcome_emails import has_outgoing_email_account
from verenigingen.core import alert_rules
from verenigingen.monitoring import ALERT
from verenigingen.monitoring.alert_settings import alert_setting
from verenigingen.permissions import STAFF_ROLES

REALTIME_EVENT = "verenigingen_alert"
# Everyone who may read alerts hears about a new one.
ALERT_READER_ROLES = tuple(sorted(STAFF_ROLES))


def publish_opened(doc) -> list[str]:
	"""Push ``verenigingen_alert`` to each enabled staff user once the alert is committed."""
	payload = {
		"name": doc.name,
		"alert_type": doc.alert_type,
		"severity": doc.severity,
		"message": doc.message,
		"status": doc.status,
	}
	users = staff_users()
	for user in users:
		frappe.publish_realtime(REALTIME_EVENT, payload, user=user, after_commit=True)
	return users


def staff_users() -> list[str]:
	has_role, user = frappe.qb.DocType("Has Role"), frappe.qb.DocType("User")
	return (
		frappe.qb.from_(has_role)
		.join(user)
		.on(user.name == has_role.parent)
		.select(user.name)
		.distinct()
		.where((has_role.parenttype == "User") & has_role.role.isin(ALERT_READER_ROLES))
		.where((user.enabled == 1) & (user.user_type == "System User"))
		.run(pluck=True)
	)


def email_if_due(doc) -> bool:
	"""Queue one e-mail for the alert unless its condition was mailed within the cooldown."""
	recipients = alert_rules.parse_recipients(alert_setting("alert_recipients"))
	now = now_datetime()
	due = alert_rules.should_email(
		doc.severity,
		alert_setting("alert_email_min_severity"),
		last_emailed_for(doc.fingerprint),
		now,
		alert_setting("alert_email_cooldown_minutes"),
		has_recipients=bool(recipients),
	)
	# Without an outgoing account Frappe cannot queue mail; the next occurrence tries again.
	if not due or not has_outgoing_email_account():
		return False
	frappe.sendmail(
		recipients=recipients,
		subject=_subject(doc),
		message=_body(doc),
		delayed=True,
		now=False,
		reference_doctype=ALERT,
		reference_name=doc.name,
	)
	frappe.db.set_value(ALERT, doc.name, "last_emailed_at", now, update_modified=False)
	return True


def last_emailed_for(fingerprint: str):
	"""Latest e-mail for the condition, over its earlier (resolved) alerts too, so flapping stays quiet."""
	alert = frappe.qb.DocType(ALERT)
	rows = (
		frappe.qb.from_(alert)
		.select(Max(alert.last_emailed_at))
		.where(alert.fingerprint == fingerprint)
		.run()
	)
	return rows[0][0] if rows else None


def _subject(doc) -> str:
	return _("[{0}] Verenigingen alert: {1}").format(_(doc.severity), doc.alert_type)


def _body(doc) -> str:
	lines = [
		f"<p><b>{escape_html(doc.message or '')}</b></p>",
		"<p>"
		+ _("Type: {0}; severity: {1}; seen {2} time(s) since {3}.").format(
			escape_html(doc.alert_type), _(doc.severity), doc.occurrences, doc.first_seen
		)
		+ "</p>",
		f"<pre>{escape_html(doc.context or '{}')}</pre>",
		'<p><a href="{}">{}</a></p>'.format(get_url_to_form(ALERT, doc.name), _("Open the alert")),
	]
	return "\n".join(lines)
