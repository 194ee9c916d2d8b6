"""The ERPNext test tier: skipped loudly without ERPNext; company "Vereniging Test" made once.

The company is made with Frappe's own setup wizard (``setup_complete``: Netherlands, EUR, chart
"Standard", this year's fiscal year, the site's own time zone, no e-mail or password, so no User
is made) on a site whose setup is not complete; on a site already set up (e.g. by ERPNext's own
test setup) the Company is inserted directly, with the same chart. Both are idempotent.
"""

import sys
import unittest
from datetime import date

import frappe
from frappe.utils import get_system_timezone

COMPANY = "Vereniging Test"
ABBR = "VT"
SKIP_REASON = (
	"ERPNext is not installed on this site: the ERPNext contribution tests did NOT run "
	"(run them on a bench with ERPNext, e.g. /opt/erpnext-bench)"
)


def require_erpnext_or_skip() -> None:
	"""Raise SkipTest with a loud message when ERPNext is not installed on the site."""
	if "erpnext" in frappe.get_installed_apps():
		return
	bar = "!" * 78
	print(f"\n{bar}\nERPNEXT TESTS SKIPPED: {SKIP_REASON}\n{bar}", file=sys.stderr)
	raise unittest.SkipTest(SKIP_REASON)


def ensure_test_company() -> str:
	"""The EUR company "Vereniging Test" with its chart of accounts; made once, committed."""
	if frappe.db.exists("Company", COMPANY):
		return COMPANY
	year = date.today().year
	if not frappe.db.get_single_value("System Settings", "setup_complete"):
		from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

		setup_complete(
			{
				"language": "English",
				"country": "Netherlands",
				# The site's own zone: a zone changed mid-run puts every earlier row in the future or past.
				"timezone": get_system_timezone(),
				"currency": "EUR",
				"company_name": COMPANY,
				"company_abbr": ABBR,
				"chart_of_accounts": "Standard",
				"fy_start_date": f"{year}-01-01",
				"fy_end_date": f"{year}-12-31",
				"setup_demo": 0,
			}
		)
	if not frappe.db.exists("Company", COMPANY):
		frappe.get_doc(
			{
				"doctype": "Company",
				"company_name": COMPANY,
				"abbr": ABBR,
				"default_currency": "EUR",
				"country": "Netherlands",
				"create_chart_of_accounts_based_on": "Standard Template",
				"chart_of_accounts": "Standard",
			}
		).insert()
	frappe.db.commit()
	return COMPANY


def accounting_settings_for_tests() -> dict:
	"""Settings values pointing the integration at the test company."""
	company = frappe.db.get_value(
		"Company", COMPANY, ["default_income_account", "cost_center", "default_cash_account"], as_dict=True
	)
	return {
		"erpnext_company": COMPANY,
		"erpnext_income_account": company.default_income_account,
		"erpnext_cost_center": company.cost_center,
		"erpnext_bank_account": company.default_cash_account,
	}


def _delete_with_children(doctype: str, names: list[str]) -> None:
	if not names:
		return
	for table in frappe.get_meta(doctype).get_table_fields():
		frappe.db.delete(table.options, {"parent": ("in", names), "parenttype": doctype})
	frappe.db.delete(doctype, {"name": ("in", names)})


def delete_accounting_data(member_names: list[str]) -> None:
	"""Remove the test members' invoices, payments, their ledger rows, Customers and Customer Contacts.

	Test cleanup only: generated members come back under the same names, and their old invoices
	would otherwise make every period look invoiced already.
	"""
	if not member_names:
		return
	rows = frappe.get_all("Sales Invoice", filters={"verenigingen_member": ("in", member_names)}, fields=["name", "customer"])
	invoices = [row.name for row in rows]
	payments = list(
		set(frappe.get_all("Payment Entry Reference", filters={"reference_name": ("in", invoices or [""])}, pluck="parent"))
	)
	vouchers = invoices + payments
	if vouchers:
		for ledger in ("GL Entry", "Payment Ledger Entry"):
			frappe.db.delete(ledger, {"voucher_no": ("in", vouchers)})
	_delete_with_children("Payment Entry", payments)
	_delete_with_children("Sales Invoice", invoices)
	linked = frappe.get_all("Member", filters={"name": ("in", member_names)}, pluck="customer")
	customers = list({c for c in linked + [row.customer for row in rows] if c})
	contacts = frappe.get_all(
		"Dynamic Link",
		filters={"parenttype": "Contact", "link_doctype": "Customer", "link_name": ("in", customers or [""])},
		pluck="parent",
	)
	_delete_with_children("Contact", list(set(contacts)))
	_delete_with_children("Customer", customers)
	frappe.db.commit()
