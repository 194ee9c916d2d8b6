"""Custom Fields for the ERPNext integration, made only when ERPNext is installed on the site.

Frappe does not validate a DocType's Link options when it syncs the JSON of an app (migrate
imports DocTypes with ``ignore_validate``), so a Link to "Customer" in the app's own JSON would
sync on a plain bench, but the field would point at a DocType that does not exist there: forms
and link checks would fail on it. These fields are therefore Custom Fields, made by
after_install / after_migrate and when ERPNext is installed later (``after_app_install``).
"""

import frappe

SETTINGS_FIELDS = [
	{"fieldname": "erpnext_section", "fieldtype": "Section Break", "label": "Contribution Accounting (ERPNext)",
		"insert_after": "prenotification_body_en", "collapsible": 1},
	{"fieldname": "erpnext_company", "fieldtype": "Link", "options": "Company", "label": "Company",
		"insert_after": "erpnext_section", "description": "Empty: the default company"},
	{"fieldname": "erpnext_item", "fieldtype": "Link", "options": "Item", "label": "Contribution Item",
		"insert_after": "erpnext_company", "description": "Empty: Contributie (made when missing)"},
	{"fieldname": "erpnext_income_account", "fieldtype": "Link", "options": "Account", "label": "Income Account",
		"insert_after": "erpnext_item", "description": "Empty: the company's default income account"},
	{"fieldname": "erpnext_cost_center", "fieldtype": "Link", "options": "Cost Center", "label": "Cost Center",
		"insert_after": "erpnext_income_account", "description": "Empty: the company's default cost center"},
	{"fieldname": "erpnext_column", "fieldtype": "Column Break", "insert_after": "erpnext_cost_center"},
	{"fieldname": "erpnext_customer_group", "fieldtype": "Link", "options": "Customer Group",
		"label": "Customer Group", "insert_after": "erpnext_column",
		"description": "Empty: the default of Selling Settings"},
	{"fieldname": "erpnext_territory", "fieldtype": "Link", "options": "Territory", "label": "Territory",
		"insert_after": "erpnext_customer_group", "description": "Empty: the default of Selling Settings"},
	{"fieldname": "erpnext_bank_account", "fieldtype": "Link", "options": "Account",
		"label": "Bank Account for Collections", "insert_after": "erpnext_territory",
		"description": "Empty: the company's default bank (or cash) account"},
]

CUSTOM_FIELDS = {
	"Verenigingen Settings": SETTINGS_FIELDS,
	"Member": [
		{"fieldname": "customer", "fieldtype": "Link", "options": "Customer", "label": "Customer",
			"insert_after": "mollie_subscription_id", "read_only": 1, "no_copy": 1, "search_index": 1},
	],
	"Sales Invoice": [
		{"fieldname": "verenigingen_member", "fieldtype": "Link", "options": "Member", "label": "Member",
			"insert_after": "customer_name", "read_only": 1, "no_copy": 1, "search_index": 1},
		{"fieldname": "verenigingen_contribution_key", "fieldtype": "Data", "label": "Contribution Period Key",
			"insert_after": "verenigingen_member", "read_only": 1, "no_copy": 1, "unique": 1},
	],
	"Direct Debit Batch Entry": [
		{"fieldname": "sales_invoice", "fieldtype": "Link", "options": "Sales Invoice", "label": "Sales Invoice",
			"insert_after": "period_key", "read_only": 1, "in_list_view": 1, "columns": 1},
		{"fieldname": "payment_entry", "fieldtype": "Link", "options": "Payment Entry", "label": "Payment Entry",
			"insert_after": "sales_invoice", "read_only": 1, "no_copy": 1},
	],
}


def ensure_erpnext_fields() -> bool:
	"""Make or update the fields when ERPNext is installed; False (nothing done) otherwise."""
	if "erpnext" not in frappe.get_installed_apps():
		return False
	from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

	create_custom_fields(CUSTOM_FIELDS, update=True)
	return True


def after_app_install(app_name: str) -> None:
	"""ERPNext installed after this app: add the fields now."""
	if app_name == "erpnext":
		ensure_erpnext_fields()


def remove_erpnext_fields() -> None:
	"""Uninstall: drop the Custom Fields (the data they held goes with them)."""
	for doctype, fields in CUSTOM_FIELDS.items():
		for field in fields:
			name = frappe.db.get_value("Custom Field", {"dt": doctype, "fieldname": field["fieldname"]})
			if name:
				frappe.delete_doc("Custom Field", name, force=True)
