"""The Member DocType's field limits as the Frappe side builds them, read from member.json (site-free)."""

import json
from pathlib import Path

from verenigingen.core.field_limits import FieldRules
from verenigingen.core.mijnrood import MEMBER_FIELDS

MEMBER_JSON = Path(__file__).resolve().parents[1] / "verenigingen/verenigingen/doctype/member/member.json"
VARCHAR_TYPES = ("Data", "Link", "Select")
FRAPPE_VARCHAR_LENGTH = 140


def member_limits() -> dict:
	"""``{fieldname: limit}`` for the imported fields and ``full_name``, as member_import.planning builds them."""
	fields = {df["fieldname"]: df for df in json.loads(MEMBER_JSON.read_text())["fields"]}
	limits = {}
	for name in (*MEMBER_FIELDS, "full_name"):
		df = fields[name]
		varchar = df["fieldtype"] in VARCHAR_TYPES
		options = df.get("options")
		if df["fieldtype"] == "Select":
			options = tuple(options.split("\n"))
		limits[name] = {
			"fieldtype": df["fieldtype"],
			"length": df.get("length") or (FRAPPE_VARCHAR_LENGTH if varchar else None),
			"options": options,
			"label": df.get("label") or name,
			"reqd": bool(df.get("reqd")),
		}
	return limits


def member_rules(chapters=("Nijmegen",)) -> FieldRules:
	"""The rules the import plans with on a site whose Chapters are ``chapters``."""
	return FieldRules(member_limits(), {"Chapter": set(chapters)})
