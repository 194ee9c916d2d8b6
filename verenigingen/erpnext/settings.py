"""The accounting settings of contributions: Custom Fields on Verenigingen Settings, with defaults.

An empty setting falls back to ERPNext's own defaults (the default company, its income account,
cost centre and bank or cash account, Selling Settings' customer group and territory), so a site
with one company works without filling anything in.
"""

from dataclasses import dataclass

import frappe
from frappe import _

from verenigingen.erpnext import require_erpnext

DEFAULT_ITEM = "Contributie"
SETTINGS = "Verenigingen Settings"


@dataclass(frozen=True)
class AccountingSettings:
	company: str
	currency: str
	customer_group: str
	territory: str
	item: str
	income_account: str
	cost_center: str
	bank_account: str


def _setting(fieldname: str) -> str | None:
	return frappe.db.get_single_value(SETTINGS, fieldname) if frappe.get_meta(SETTINGS).has_field(fieldname) else None


def default_company() -> str | None:
	company = frappe.defaults.get_global_default("company") or frappe.db.get_single_value("Global Defaults", "default_company")
	if company:
		return company
	companies = frappe.get_all("Company", pluck="name", limit=2)
	return companies[0] if len(companies) == 1 else None


def accounting_settings() -> AccountingSettings:
	"""The settings a run uses, defaults filled in; refuses clearly when something is missing.

	The contribution Item is checked (and made) by the invoicing only: ``ensure_item``."""
	require_erpnext()
	company = _setting("erpnext_company") or default_company()
	if not company:
		frappe.throw(_("Set the Company for contributions in Verenigingen Settings"))
	defaults = frappe.db.get_value(
		"Company",
		company,
		["default_currency", "default_income_account", "cost_center", "default_bank_account", "default_cash_account"],
		as_dict=True,
	)
	if not defaults:
		frappe.throw(_("Company {0} does not exist").format(company))
	values = {
		"company": company,
		"currency": defaults.default_currency,
		"customer_group": _setting("erpnext_customer_group")
		or frappe.db.get_single_value("Selling Settings", "customer_group")
		or "All Customer Groups",
		"territory": _setting("erpnext_territory")
		or frappe.db.get_single_value("Selling Settings", "territory")
		or "All Territories",
		"item": _setting("erpnext_item") or DEFAULT_ITEM,
		"income_account": _setting("erpnext_income_account") or defaults.default_income_account,
		"cost_center": _setting("erpnext_cost_center") or defaults.cost_center,
		"bank_account": _setting("erpnext_bank_account") or defaults.default_bank_account or defaults.default_cash_account,
	}
	missing = [_(label) for field, label in LABELS.items() if not values[field]]
	if missing:
		frappe.throw(_("Contribution accounting needs these settings: {0}").format(", ".join(missing)))
	for doctype, field in (("Customer Group", "customer_group"), ("Territory", "territory")):
		if not frappe.db.exists(doctype, values[field]):
			frappe.throw(_("{0} {1} does not exist: choose one in Verenigingen Settings").format(_(doctype), values[field]))
	return AccountingSettings(**values)


LABELS = {  # translated where shown
	"company": "Company",
	"currency": "Currency",
	"customer_group": "Customer Group",
	"territory": "Territory",
	"item": "Contribution Item",
	"income_account": "Income Account",
	"cost_center": "Cost Center",
	"bank_account": "Bank Account for Collections",
}

def ensure_item(item_code: str) -> str:
	"""The contribution Item (a service: no stock), made when missing."""
	if frappe.db.exists("Item", item_code):
		return item_code
	if not frappe.has_permission("Item", "create"):
		frappe.throw(
			_("The contribution Item {0} does not exist and you may not create Items: ask an Item Manager "
				"to create it, or choose an existing Item in Verenigingen Settings").format(item_code),
			frappe.PermissionError,
		)
	group = frappe.db.get_value("Item Group", {"is_group": 0}, "name", order_by="creation") or frappe.db.get_value(
		"Item Group", {}, "name", order_by="lft"
	)
	uom = "Nos" if frappe.db.exists("UOM", "Nos") else frappe.db.get_value("UOM", {}, "name")
	if not group or not uom:
		frappe.throw(_("Item {0} is missing and ERPNext has no Item Group or UOM to make it with").format(item_code))
	frappe.get_doc(
		{
			"doctype": "Item",
			"item_code": item_code,
			"item_name": item_code,
			"item_group": group,
			"stock_uom": uom,
			"is_stock_item": 0,
			"include_item_in_manufacturing": 0,
			"description": _("Membership contribution"),
		}
	).insert()
	return item_code
