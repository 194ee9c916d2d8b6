"""Groups (Mijnrood divisions) become Chapters: found by division id or name, created when missing."""

import frappe

from verenigingen.core.chapter_match import chapter_key, match_chapters, new_chapter_values
from verenigingen.core.import_plan import groups_of
from verenigingen.member_import.failures import log_failure
from verenigingen.member_import.planning import field_limit


def resolve_chapters(rows: list, divisions: dict, *, create: bool, import_name: str) -> tuple[dict, list]:
	"""``({group: chapter name or None}, [groups without a chapter yet])``.

	Missing chapters are created when the settings allow it and ``create`` is set; with ``create``
	unset (validation) they are mapped to the name they would get, or to None when that name cannot
	be a Chapter (too long for its column), as the failed insert would leave them. Without the
	setting, their members are imported without a chapter (and the row says so).
	"""
	groups = groups_of(rows)
	if not groups:
		return {}, []
	chapters = frappe.get_list("Chapter", fields=["name", "mijnrood_division_id"], limit_page_length=0)
	found, missing = match_chapters(groups, chapters, divisions)
	if not frappe.get_cached_doc("Verenigingen Settings").create_missing_chapters:
		return {**found, **dict.fromkeys(missing)}, []
	created: dict = {}
	for group in missing:
		key = chapter_key(group)
		if key not in created:
			if create:
				created[key] = insert_chapter(group, divisions.get(group), import_name)
			else:
				created[key] = group if can_be_a_chapter(group) else None
		found[group] = created[key]
	return found, [group for group in missing if found[group]]


def can_be_a_chapter(group: str) -> bool:
	"""Whether a Chapter named ``group`` can be inserted, so Validate maps the group as the import will."""
	name_length = field_limit(frappe.get_meta("Chapter").get_field("chapter_name"))["length"]
	# Frappe refuses a name with < or >, or one equal to its doctype's
	return len(group) <= name_length and not set("<>") & set(group) and group != "Chapter"


def insert_chapter(group: str, details: dict | None, import_name: str) -> str | None:
	"""Insert one Chapter (with the user's permissions); a failure leaves its members without one."""
	frappe.db.savepoint("mijnrood_chapter")
	try:
		return frappe.get_doc({"doctype": "Chapter", **new_chapter_values(group, details)}).insert().name
	except Exception as exc:  # noqa: BLE001 - a chapter that cannot be made must not stop the import
		frappe.db.rollback(save_point="mijnrood_chapter")
		log_failure(exc, import_name, f"chapter {group}")
		return None
