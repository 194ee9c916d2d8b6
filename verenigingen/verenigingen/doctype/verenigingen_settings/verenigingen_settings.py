# Copyright (c) 2026, Verenigingen developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from verenigingen.core.alert_rules import DEFAULT_EMAIL_MIN_SEVERITY
from verenigingen.core.retry_policy import parse_retry_schedule
from verenigingen.core.role_grants import NEVER_GRANTABLE
from verenigingen.sepa.creditor import validate_creditor_settings
from verenigingen.sepa.prenotification import validate_template_settings
from verenigingen.utils.arguments import parse_severity


class VerenigingenSettings(Document):
	def validate(self):
		self.validate_retry_schedule()
		self.normalise_alert_severity()
		self.validate_role_grants()
		if (self.bulk_batch_size or 0) < 1:
			frappe.throw(_("Batch Size must be at least 1"))
		validate_creditor_settings(self)
		validate_template_settings(self)

	def validate_retry_schedule(self):
		try:
			schedule = parse_retry_schedule(self.retry_schedule_minutes)
		except ValueError as e:
			frappe.throw(_("Retry Schedule is not valid: {0}").format(str(e)))
		self.retry_schedule_minutes = ", ".join(str(m) for m in schedule)

	def normalise_alert_severity(self):
		"""MEDIUM, high, ... are stored as the one vocabulary (Info, Warning, High, Critical)."""
		self.alert_email_min_severity = (
			parse_severity(self.alert_email_min_severity, _("Minimum Severity to E-mail"))
			or DEFAULT_EMAIL_MIN_SEVERITY
		)

	def validate_role_grants(self):
		for row in self.role_grants:
			if row.grantable_role in NEVER_GRANTABLE:
				frappe.throw(
					_("Row {0}: the role {1} can never be granted to member accounts").format(
						row.idx, row.grantable_role
					)
				)


def get_settings():
	"""The settings document, cached per request."""
	return frappe.get_cached_doc("Verenigingen Settings")
