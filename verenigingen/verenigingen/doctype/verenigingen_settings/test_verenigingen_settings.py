# Copyright (c) 2026, Verenigingen developers and contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase


# ERPNext DocTypes the app links to through Custom Fields (verenigingen/setup/erpnext_fields.py):
# no ERPNext test records for them.
test_ignore = ["Customer", "Company", "Item", "Account", "Cost Center", "Customer Group", "Territory"]

class TestVerenigingenSettings(FrappeTestCase):
	def test_retry_schedule_is_normalised(self):
		settings = frappe.get_doc("Verenigingen Settings")
		settings.retry_schedule_minutes = "5;15 , 60"
		settings.validate()
		self.assertEqual(settings.retry_schedule_minutes, "5, 15, 60")

	def test_invalid_retry_schedule_is_refused(self):
		settings = frappe.get_doc("Verenigingen Settings")
		settings.retry_schedule_minutes = "5, soon"
		self.assertRaises(frappe.ValidationError, settings.validate)

	def test_system_manager_can_never_be_grantable(self):
		settings = frappe.get_doc("Verenigingen Settings")
		settings.append("role_grants", {"requester_role": "Verenigingen Manager", "grantable_role": "System Manager"})
		self.assertRaises(frappe.ValidationError, settings.validate)
