"""Mijnrood Reconciliation: the newest completed import's export against the site, one row per finding."""

import frappe
from frappe import _
from frappe.utils.html_utils import escape_html

from verenigingen.core.reconciliation import count_by_kind
from verenigingen.permissions import require_staff
from verenigingen.reconciliation.findings import finding_row, reconcile_site

def execute(filters=None):
	require_staff()
	frappe.has_permission("Member", "read", throw=True)
	filters = frappe._dict(filters or {})
	result = reconcile_site(filters.mijnrood_import or None, filters.kind or None)
	rows = [labelled(finding_row(finding)) for finding in result.findings]
	return columns(), rows, message(result), None, summary(result.findings)


def labelled(row: dict) -> dict:
	"""The row with its kind and fix in the user's language (``kind`` and ``fix`` stay for the buttons)."""
	return {**row, "kind_label": _(row["kind"]), "fix_label": _(row["fix"]) if row["fix"] else ""}


def message(result) -> str:
	if result.note:
		return escape_html(result.note)
	return escape_html(_("Compared with Mijnrood import {0}.").format(result.import_name))


def summary(findings: list) -> list[dict]:
	"""One card per kind: how many findings of it."""
	return [
		{"value": count, "label": _(kind), "datatype": "Int", "indicator": "Green" if not count else "Red"}
		for kind, count in count_by_kind(findings).items()
	]


def columns() -> list[dict]:
	return [
		{"fieldname": "kind_label", "label": _("Finding"), "fieldtype": "Data", "width": 170},
		{"fieldname": "member", "label": _("Member"), "fieldtype": "Link", "options": "Member", "width": 120},
		{"fieldname": "user", "label": _("User"), "fieldtype": "Link", "options": "User", "width": 200},
		{"fieldname": "member_id", "label": _("Lidnr"), "fieldtype": "Data", "width": 90},
		{"fieldname": "email", "label": _("Email"), "fieldtype": "Data", "width": 200},
		{"fieldname": "row_number", "label": _("Export Row"), "fieldtype": "Int", "width": 90},
		{"fieldname": "detail", "label": _("Detail"), "fieldtype": "Data", "width": 340},
		{"fieldname": "fix_label", "label": _("Fix"), "fieldtype": "Data", "width": 130},
	]
