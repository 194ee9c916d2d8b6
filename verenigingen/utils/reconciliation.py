"""Public API of the Mijnrood reconciliation (the report's buttons, bench execute, other apps).

Managers read the findings and may create the missing accounts (they may start account runs
anywhere else too); only the SEPA managers (System Manager, Verenigingen Administrator) queue mandates.
"""

import frappe
from frappe import _

from verenigingen.account_creation import REQUEST, TRACKER
from verenigingen.core.reconciliation import count_by_kind
from verenigingen.permissions import require_roles, require_staff
from verenigingen.reconciliation import fixes
from verenigingen.reconciliation.findings import finding_row, reconcile_site
from verenigingen.sepa import MANDATE
from verenigingen.sepa.permissions import SEPA_MANAGERS
from verenigingen.utils.arguments import parse_int

DEFAULT_LIMIT = 500


@frappe.whitelist()
def get_reconciliation(mijnrood_import: str | None = None, kind: str | None = None, limit=None) -> dict:
	"""Counts per kind and the first ``limit`` findings (500 by default)."""
	require_staff()
	frappe.has_permission("Member", "read", throw=True)
	limit = parse_int(limit, _("Limit")) or DEFAULT_LIMIT
	result = reconcile_site(mijnrood_import or None, kind or None)
	return {
		"mijnrood_import": result.import_name,
		"note": result.note,
		"total": len(result.findings),
		"counts": count_by_kind(result.findings),
		"findings": [finding_row(finding) for finding in result.findings[:limit]],
	}


@frappe.whitelist()
def create_missing_accounts(mijnrood_import: str | None = None, kind: str | None = None) -> dict:
	"""Queue accounts for the current findings' members without a login who can get one."""
	require_staff()
	frappe.has_permission(REQUEST, "create", throw=True)
	frappe.has_permission(TRACKER, "read", throw=True)
	return fixes.create_missing_accounts(mijnrood_import or None, kind or None)


@frappe.whitelist()
def queue_missing_mandates(mijnrood_import: str | None = None, kind: str | None = None) -> dict:
	"""Queue mandates for the current findings' members with an IBAN and no Active mandate."""
	require_roles(*SEPA_MANAGERS)
	frappe.has_permission(MANDATE, "create", throw=True)
	return fixes.queue_missing_mandates(mijnrood_import or None, kind or None)
