"""Shared set-up for the alert tests: a clean slate of alerts, alert settings, counting e-mails."""

import frappe
from frappe.tests.utils import FrappeTestCase

from verenigingen.monitoring import ALERT
from verenigingen.tests.factories import make_default_outgoing_email_account

RECIPIENT = "beheer@example.nl"


def set_alert_settings(**values) -> None:
	frappe.db.set_single_value("Verenigingen Settings", values)


def alert_rows(alert_type: str, **filters) -> list:
	return frappe.get_all(ALERT, filters={"alert_type": alert_type, **filters}, fields=["*"])


def open_alerts(alert_type: str) -> list:
	return alert_rows(alert_type, status=("in", ("Open", "Acknowledged")))


def delete_error_logs(names) -> None:
	"""Error Log is a MyISAM table: its rows outlive the test's rollback unless deleted."""
	if names:
		frappe.db.delete("Error Log", {"name": ("in", list(names))})


def emails_for(name: str) -> int:
	return frappe.db.count("Email Queue", {"reference_doctype": ALERT, "reference_name": name})


class AlertTestCase(FrappeTestCase):
	"""Every test starts without active alerts and with e-mail possible; its changes are rolled back."""

	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.sql(
			"""update `tabVerenigingen Alert` set status = 'Resolved', open_fingerprint = null
			where status != 'Resolved'"""
		)
		frappe.db.delete("Email Queue", {"reference_doctype": ALERT})
		make_default_outgoing_email_account()
		set_alert_settings(
			alert_recipients=RECIPIENT,
			alert_email_min_severity="Warning",
			alert_email_cooldown_minutes=60,
			error_log_alert_per_hour=0,
			error_log_alert_per_day=0,
			slow_query_seconds=0,
			sepa_failure_alert_per_hour=0,
			churn_alert_per_day=0,
		)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
