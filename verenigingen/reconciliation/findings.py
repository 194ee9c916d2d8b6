"""The report's findings: the chosen (or newest completed) import's export against the site."""

from dataclasses import dataclass

import frappe
from frappe import _

from verenigingen.core.reconciliation import KINDS, Finding, reconcile
from verenigingen.member_import.messages import message_text
from verenigingen.reconciliation.export import latest_import, read_entries
from verenigingen.reconciliation.site import load_site_state


@dataclass
class Reconciliation:
	"""The findings, the import they were compared with, and why the export part is missing (if it is)."""

	import_name: str | None
	findings: list[Finding]
	note: str | None = None


def reconcile_site(import_name: str | None = None, kind: str | None = None) -> Reconciliation:
	"""Compare; ``kind`` keeps only the findings of that kind (what the report shows)."""
	if kind and kind not in KINDS:
		frappe.throw(_("Unknown kind of finding: {0}").format(kind))
	import_name = import_name or latest_import()
	if import_name:
		entries, note = read_entries(import_name)
	else:
		entries, note = None, _("No completed Mijnrood import yet: only the site's own records are compared.")
	findings = reconcile(entries, load_site_state())
	if kind:
		findings = [finding for finding in findings if finding.kind == kind]
	return Reconciliation(import_name, findings, note)


def finding_row(finding: Finding) -> dict:
	"""One finding as plain values: kind and fix stable (English), the detail in the user's language."""
	return {
		"kind": finding.kind,
		"member": finding.member,
		"user": finding.user,
		"member_id": finding.member_id,
		"email": finding.email,
		"row_number": finding.row_number,
		"detail": message_text(finding.detail) if finding.detail else "",
		"fix": finding.fix,
	}
