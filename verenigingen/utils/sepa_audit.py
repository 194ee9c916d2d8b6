"""Scheduler entry for the SEPA Audit Log's retention."""

import frappe

from verenigingen.sepa.audit import purge_expired


def purge_expired_audit_events() -> int:
	"""Daily: remove rows older than the retention period (the removal itself is recorded)."""
	removed = purge_expired()
	# Commit: a scheduler entry ends its own transaction.
	frappe.db.commit()
	return removed
