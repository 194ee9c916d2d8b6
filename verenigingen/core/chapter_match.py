"""Finding the Chapter for a Mijnrood group (division), and what a missing one would be created with."""

from collections.abc import Iterable

from verenigingen.core.mijnrood.columns import resolve_columns
from verenigingen.core.mijnrood.contact import normalise_email, normalise_phone
from verenigingen.core.mijnrood.csv_reader import read_csv_table
from verenigingen.core.mijnrood.errors import InvalidValue
from verenigingen.core.mijnrood.everything import DIVISION_FILE, NULL
from verenigingen.core.mijnrood.formula import is_formula_like
from verenigingen.core.mijnrood.text import clean_text, has_markup

MAX_CHAPTER_TEXT = 140
# admin_division.csv column -> Chapter field
DIVISION_DETAILS = {
	"id": ("id",),
	"name": ("name",),
	"city": ("city",),
	"address_line": ("address",),
	"postal_code": ("post_code",),
	"contact_phone": ("phone",),
	"contact_email": ("email_id", "email"),
}


def chapter_key(name: str) -> str:
	"""Chapter names are unique ignoring case (as the database compares them)."""
	return " ".join(str(name).split()).casefold()


def match_chapters(groups: Iterable[str], chapters: Iterable[dict], divisions: dict | None = None) -> tuple:
	"""Map each group to an existing chapter name: by Mijnrood division id, then by name.

	``chapters`` hold ``name`` and ``mijnrood_division_id``; ``divisions`` maps a group name to its
	details (with ``id``) when the export has them. Returns ``({group: chapter}, [missing groups])``.
	"""
	chapters = list(chapters)
	by_division = {
		str(c["mijnrood_division_id"]): c["name"] for c in chapters if c.get("mijnrood_division_id")
	}
	by_key = {chapter_key(c["name"]): c["name"] for c in chapters}
	found, missing = {}, []
	for group in groups:
		division_id = str((divisions or {}).get(group, {}).get("id") or "")
		chapter = by_division.get(division_id) if division_id else None
		chapter = chapter or by_key.get(chapter_key(group))
		if chapter:
			found[group] = chapter
		else:
			missing.append(group)
	return found, missing


def read_division_details(files: dict) -> dict:
	"""``{group name: Chapter values}`` from the export-everything tables (as read by the parser)."""
	table, _ = read_csv_table(files[DIVISION_FILE], DIVISION_FILE)
	columns = resolve_columns(table.headers, DIVISION_DETAILS, ("id", "name"), DIVISION_FILE)
	details = {}
	for row in table.rows:
		values = {field: _safe_text(row.raw[header]) for field, header in columns.items()}
		if not values.get("name"):
			continue
		values["contact_phone"] = _normalised(normalise_phone, values.get("contact_phone"))
		values["contact_email"] = _normalised(normalise_email, values.get("contact_email"))
		details[values["name"]] = {field: value for field, value in values.items() if value}
	return details


def _safe_text(value: object) -> str:
	"""Cleaned text, or "" for NULL, markup, formulas and overlong values (a chapter is better without)."""
	if value == NULL:
		return ""
	text = clean_text(value)[0]
	if has_markup(text) or is_formula_like(text) or len(text) > MAX_CHAPTER_TEXT:
		return ""
	return text


def _normalised(normalise, value: str | None) -> str:
	try:
		return normalise(value or "")
	except InvalidValue:
		return ""


def new_chapter_values(group: str, details: dict | None) -> dict:
	"""The Chapter to create for a group: its name, plus the division's details when known."""
	values = {"chapter_name": group}
	if details:
		values.update({field: value for field, value in details.items() if field not in ("id", "name")})
		if details.get("id"):
			values["mijnrood_division_id"] = str(details["id"])
	return values
