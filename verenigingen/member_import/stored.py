"""Loading the Members an export refers to, a chunk of rows per query (no get_doc per row)."""

import frappe

from verenigingen.core.import_plan import StoredMembers
from verenigingen.core.mijnrood import MEMBER_FIELDS
from verenigingen.shared.members import LOOKUP_CHUNK

MEMBER_COLUMNS = ("name", "user", "status", *MEMBER_FIELDS)


def load_stored_members(rows: list) -> StoredMembers:
	"""Members whose Lidnr, email or document name matches an importable row."""
	valid = [row.member for row in rows if not row.errors]
	records = {}
	for start in range(0, len(valid), LOOKUP_CHUNK):
		for record in _lookup(valid[start : start + LOOKUP_CHUNK]):
			records[record.name] = record
	return StoredMembers.from_records(records.values())


def _lookup(members: list[dict]) -> list[dict]:
	ids = sorted({str(m["member_id"]) for m in members if m.get("member_id")})
	emails = sorted({str(m["email"]) for m in members if m.get("email")})
	or_filters = []
	if ids:
		or_filters += [["member_id", "in", ids], ["name", "in", ids]]
	if emails:
		or_filters.append(["email", "in", emails])
	if not or_filters:
		return []
	return frappe.get_list("Member", or_filters=or_filters, fields=list(MEMBER_COLUMNS), limit_page_length=0)
