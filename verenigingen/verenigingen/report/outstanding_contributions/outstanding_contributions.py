"""Outstanding contributions per member and chapter (ERPNext contribution invoices)."""

from frappe import _

from verenigingen.erpnext import require_contribution_accounting, require_erpnext
from verenigingen.erpnext.views import outstanding_per_member


def execute(filters=None):
	require_contribution_accounting()
	require_erpnext()
	filters = filters or {}
	columns = [
		{"fieldname": "chapter", "label": _("Chapter"), "fieldtype": "Link", "options": "Chapter", "width": 160},
		{"fieldname": "member", "label": _("Member"), "fieldtype": "Link", "options": "Member", "width": 140},
		{"fieldname": "full_name", "label": _("Full Name"), "fieldtype": "Data", "width": 200},
		{"fieldname": "customer", "label": _("Customer"), "fieldtype": "Link", "options": "Customer", "width": 180},
		{"fieldname": "invoices", "label": _("Invoices"), "fieldtype": "Int", "width": 90},
		{"fieldname": "outstanding", "label": _("Outstanding"), "fieldtype": "Currency", "width": 120},
		{"fieldname": "oldest_due", "label": _("Oldest Due Date"), "fieldtype": "Date", "width": 120},
	]
	return columns, outstanding_per_member(filters.get("chapter"))
