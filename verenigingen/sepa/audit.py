"""The SEPA Audit Log's only writer: ``record_event`` inserts, ``purge_expired`` deletes; nothing else may.

Desk, REST and ``frappe.call`` go through the ORM, and the ORM path is closed: the DocType grants
read only, the ``has_permission`` hook refuses create/write/delete to every role, and the
controller refuses any insert or save that ``record_event`` did not start (Administrator, who
bypasses role checks, included). A refused deletion is recorded, and that record outlives the
rollback of the request that tried.
"""

import json

import frappe
from frappe import _
from frappe.utils import add_years, now_datetime

from verenigingen.core.sepa.accounts import mask_ibans_in_text, masked_details
from verenigingen.core.sepa.compliance import EXCEPTION, VERDICTS
from verenigingen.sepa import AUDIT_LOG, LOG_MAINTENANCE, PROCESS_TYPES

# Only this module holds the object; JSON from a request can never produce it.
_WRITER = object()
ENTITY_LENGTH = 140
DEFAULT_RETENTION_YEARS = 7
PURGE_CHUNK = 5000
REFUSED_PTYPES = frozenset({"create", "write", "delete", "submit", "cancel", "amend", "import"})


def new_trace_id() -> str:
	"""One id shared by the events of one operation."""
	return frappe.generate_hash(length=16)


def record_event(
	process_type: str,
	action: str,
	compliance_status: str,
	*,
	entity_name: str = "",
	reference_doctype: str | None = None,
	reference_name: str | None = None,
	details: dict | None = None,
	sensitive_data: bool = False,
	trace_id: str | None = None,
	event_id: str | None = None,
) -> str:
	"""Append one event (IBANs masked in entity and details); return its event id."""
	now = now_datetime()
	doc = frappe.new_doc(AUDIT_LOG)
	doc.update(
		{
			"event_id": event_id or f"SEPA-{now:%Y%m%d%H%M%S}-{frappe.generate_hash(length=10)}",
			"timestamp": now,
			"process_type": process_type,
			"action": mask_ibans_in_text(action)[:ENTITY_LENGTH],
			"compliance_status": compliance_status,
			"entity_name": mask_ibans_in_text(entity_name)[:ENTITY_LENGTH],
			"reference_doctype": reference_doctype,
			"reference_name": reference_name,
			"user": frappe.session.user,
			"trace_id": trace_id or new_trace_id(),
			"details": json.dumps(
				masked_details(details or {}), default=str, ensure_ascii=False, sort_keys=True
			),
			"sensitive_data": int(bool(sensitive_data)),
		}
	)
	doc.name = doc.event_id
	doc.flags.sepa_audit_writer = _WRITER
	doc.run_method("validate")
	doc.db_insert()
	return doc.name


def check_recorded_write(doc) -> None:
	"""Controller validate: only ``record_event``'s own new rows pass, and only with known values."""
	if doc.flags.get("sepa_audit_writer") is not _WRITER or not doc.is_new():
		frappe.throw(
			_("SEPA Audit Log rows are written by the system only and can never be changed."),
			frappe.PermissionError,
		)
	if doc.process_type not in PROCESS_TYPES or doc.compliance_status not in VERDICTS:
		frappe.throw(_("Unknown process type or compliance status in a SEPA audit event"))


def refuse_deletion(doc) -> None:
	"""Record the attempt (surviving the rollback that follows) and refuse it with a clear message."""
	record_refused_deletion(doc.name, doc.process_type)
	frappe.throw(
		_(
			"SEPA Audit Log {0} cannot be deleted: the log is append-only and this attempt has been recorded."
		).format(doc.name),
		frappe.PermissionError,
	)


def record_refused_deletion(row_name: str, process_type: str | None) -> str:
	"""Record a refused deletion now, and again after a rollback of this transaction if it is undone."""
	event = {
		"process_type": LOG_MAINTENANCE,
		"action": "Deletion Refused",
		"compliance_status": EXCEPTION,
		"entity_name": row_name,
		"reference_doctype": AUDIT_LOG,
		"reference_name": row_name,
		"details": {"attempted_by": frappe.session.user, "row_process_type": process_type},
		"event_id": f"SEPA-DEL-{now_datetime():%Y%m%d%H%M%S}-{frappe.generate_hash(length=10)}",
	}
	record_event(**event)
	frappe.db.after_rollback.add(lambda: _record_after_rollback(event))
	return event["event_id"]


def _record_after_rollback(event: dict) -> None:
	if frappe.db.exists(AUDIT_LOG, event["event_id"]):
		return
	record_event(**event)
	# Commit: the request that tried the deletion is being rolled back; its record must stay.
	frappe.db.commit()


def purge_expired(now=None) -> int:
	"""Delete the rows older than the retention period and record that it did; return how many."""
	now = now or now_datetime()
	years = (
		frappe.get_cached_doc("Verenigingen Settings").get("audit_retention_years") or DEFAULT_RETENTION_YEARS
	)
	cutoff = add_years(now, -int(years))
	removed = 0
	while True:
		names = frappe.get_all(
			AUDIT_LOG,
			filters={"timestamp": ("<", cutoff)},
			pluck="name",
			limit=PURGE_CHUNK,
			order_by="timestamp asc",
		)
		if not names:
			break
		frappe.db.delete(AUDIT_LOG, {"name": ("in", names)})
		removed += len(names)
	if not removed:
		return 0
	record_event(
		LOG_MAINTENANCE,
		"Retention Purge",
		"Compliant",
		entity_name=_("{0} rows").format(removed),
		details={"removed": removed, "cutoff": str(cutoff), "retention_years": int(years)},
	)
	return removed


def audit_log_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	"""has_permission hook: no role may create, change or delete a row (a deletion try is recorded)."""
	if ptype not in REFUSED_PTYPES:
		return None
	if ptype == "delete" and doc.get("name") and frappe.db.exists(AUDIT_LOG, doc.name):
		refuse_deletion(doc)
	return False
