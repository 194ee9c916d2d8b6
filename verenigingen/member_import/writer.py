"""Writing one chunk of planned rows: new members in one multi-row INSERT, changed ones through the ORM.

New members are inserted in bulk after the plan has ruled out every conflict it can see (Lidnr,
email, document name); the database's unique keys catch the rest. If the bulk INSERT fails, the
chunk's new members are inserted again one by one with ``doc.insert()``, so the one bad row is
found and reported while the others go in. Changed members are saved with ``doc.save()``
(validation, version history), each in its own savepoint.
"""

import frappe
from frappe.utils import cint, flt, now_datetime

from verenigingen.core.import_plan import CREATE, UPDATE, PlannedRow
from verenigingen.member_import.failures import log_failure

MEMBER = "Member"
STANDARD_COLUMNS = ("name", "creation", "modified", "owner", "modified_by", "docstatus", "idx")
NUMBER_TYPES = {"Currency": flt, "Float": flt, "Percent": flt, "Int": cint, "Check": cint}


def write_chunk(planned: list[PlannedRow], import_name: str) -> dict[int, str]:
	"""Write the chunk's creates and updates; return ``{row_number: reason}`` for rows that failed."""
	failures = {}
	creates = [row for row in planned if row.action == CREATE]
	if creates:
		failures.update(insert_members(creates, import_name))
	for row in planned:
		if row.action == UPDATE:
			reason = _in_savepoint(lambda row=row: update_member(row), import_name, row)
			if reason:
				failures[row.row_number] = reason
	return failures


def insert_members(rows: list[PlannedRow], import_name: str) -> dict[int, str]:
	"""Insert new members in one statement, falling back to one by one when it fails."""
	frappe.has_permission(MEMBER, "create", throw=True)
	frappe.db.savepoint("mijnrood_bulk")
	try:
		_bulk_insert(rows)
	except Exception:  # noqa: BLE001 - any failure means: find the bad row(s) one by one below
		frappe.db.rollback(save_point="mijnrood_bulk")
		return insert_one_by_one(rows, import_name)
	return {}


def insert_one_by_one(rows: list[PlannedRow], import_name: str) -> dict[int, str]:
	failures = {}
	for row in rows:
		reason = _in_savepoint(
			lambda row=row: frappe.get_doc({"doctype": MEMBER, **row.values}).insert(), import_name, row
		)
		if reason:
			failures[row.row_number] = reason
	return failures


def update_member(row: PlannedRow) -> None:
	"""Write only the changed fields, through the controller (which recomposes the full name)."""
	doc = frappe.get_doc(MEMBER, row.member)
	doc.update(row.values)
	doc.save()


def _in_savepoint(write, import_name: str, row: PlannedRow) -> str | None:
	"""Run one row's write; on failure undo just that row and return the reason."""
	frappe.db.savepoint("mijnrood_row")
	try:
		write()
	except Exception as exc:  # noqa: BLE001 - one bad row must never stop the others
		frappe.db.rollback(save_point="mijnrood_row")
		return log_failure(exc, import_name, f"row {row.row_number}")
	frappe.db.release_savepoint("mijnrood_row")
	return None


def _bulk_insert(rows: list[PlannedRow]) -> None:
	"""One multi-row INSERT with the DocType defaults, named by Lidnr like Member.autoname."""
	template, types = _member_template()
	now, user = now_datetime(), frappe.session.user
	columns = (*STANDARD_COLUMNS, *template)
	values = []
	for row in rows:
		record = {**template, **{k: v for k, v in row.values.items() if k in template}}
		for field, convert in types.items():
			record[field] = convert(record[field])
		values.append((row.values["member_id"], now, now, user, user, 0, 0, *record.values()))
	frappe.db.bulk_insert(MEMBER, columns, values)


def _member_template() -> tuple[dict, dict]:
	"""Every Member column with its default (as ``frappe.new_doc`` sets it) and numeric converters."""
	meta = frappe.get_meta(MEMBER)
	doc = frappe.new_doc(MEMBER)
	fields = [df for df in meta.fields if df.fieldtype not in frappe.model.no_value_fields]
	template = {df.fieldname: doc.get(df.fieldname) for df in fields}
	types = {df.fieldname: NUMBER_TYPES[df.fieldtype] for df in fields if df.fieldtype in NUMBER_TYPES}
	return template, types
