"""Planning rows against the site: the stored members and the Member DocType's real field limits.

Validate and the import plan through here, so the preview refuses (or drops) exactly what an
insert or save of the Member would refuse.
"""

import frappe
from frappe.utils import cint

from verenigingen.core.field_limits import FieldRules
from verenigingen.core.import_plan import plan_rows
from verenigingen.core.mijnrood import MEMBER_FIELDS
from verenigingen.member_import.stored import load_stored_members

MEMBER = "Member"
# the fields an import writes, plus the one the controller composes from them
JUDGED_FIELDS = (*MEMBER_FIELDS, "full_name")


def plan_against_site(rows: list, chapter_of: dict, encoding: str | None = None) -> list:
	"""Plan ``rows`` against the stored members, judged by the Member's field limits."""
	rules = member_field_rules(chapter_of)
	return plan_rows(rows, load_stored_members(rows), chapter_of, rules=rules, encoding=encoding)


def member_field_rules(chapter_of: dict) -> FieldRules:
	"""The Member's field limits from its meta; a chapter Link may point at the chapters the plan maps to."""
	meta = frappe.get_meta(MEMBER)
	limits = {name: field_limit(meta.get_field(name)) for name in JUDGED_FIELDS if meta.get_field(name)}
	# chapter_of holds existing Chapters and the ones this import creates before any member
	return FieldRules(limits, {"Chapter": {chapter for chapter in chapter_of.values() if chapter}})


def field_limit(df) -> dict:
	"""One field's limit as ``core.field_limits`` reads it, with the column length Frappe checks."""
	column_type, column_size = frappe.db.type_map.get(df.fieldtype, ("", ""))
	length = cint(df.length) or (cint(column_size) if column_type == "varchar" else None)
	options = df.options
	if df.fieldtype == "Select":
		options = tuple((df.options or "").split("\n"))
	return {
		"fieldtype": df.fieldtype,
		"length": length,
		"options": options,
		"label": df.label or df.fieldname,
		"reqd": bool(df.reqd),
	}
