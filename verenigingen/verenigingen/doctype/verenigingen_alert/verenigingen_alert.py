# Copyright (c) 2026, Verenigingen developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class VerenigingenAlert(Document):
	"""Alerts are raised, counted and resolved by verenigingen.monitoring.alerts only."""
