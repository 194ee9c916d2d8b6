"""The app's user-facing strings: ``_("...")``/``__("...")`` literals in code and labels in its JSON records.

Run as a script to print the strings that have no Dutch entry yet (one CSV row each, ready to fill in):
    python -m tests.translation_strings
"""

import csv
import json
import re
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "verenigingen"
NL_CSV = APP / "translations" / "nl.csv"
CODE_SUFFIXES = (".py", ".js", ".html")
# Test code talks to developers, not to users.
SKIPPED_PARTS = {"tests", "node_modules", "__pycache__"}
# _("...") or __('...') whose first argument is one string literal (ended by "," or ")").
CALL = re.compile(r"""(?<![\w$])__?\(\s*(?P<q>["'])(?P<text>(?:\\.|(?!(?P=q)).)*)(?P=q)\s*[,)]""", re.DOTALL)
PLACEHOLDER = re.compile(r"\{\d+\}")
ESCAPES = {"n": "\n", "t": "\t"}


def unescape(text: str) -> str:
	"""The literal's value: backslash escapes resolved (\\" -> ", \\n -> newline)."""
	return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), text)


def app_files(suffixes: tuple[str, ...]):
	for path in sorted(APP.rglob("*")):
		if path.suffix in suffixes and path.is_file() and not SKIPPED_PARTS.intersection(path.parts):
			yield path


def code_strings() -> dict[str, str]:
	"""Every translated literal in the app's code, with the first file it appears in."""
	found = {}
	for path in app_files(CODE_SUFFIXES):
		for match in CALL.finditer(path.read_text(encoding="utf-8")):
			text = unescape(match.group("text"))
			if text.strip():
				found.setdefault(text, str(path.relative_to(APP)))
	return found


def doctype_strings(record: dict) -> list[str]:
	"""A DocType's name, field labels, descriptions and Select options."""
	strings = [record.get("name")]
	for field in record.get("fields", []):
		strings += [field.get("label"), field.get("description")]
		if field.get("fieldtype") == "Select":
			strings += (field.get("options") or "").split("\n")
	return strings


def workspace_strings(record: dict) -> list[str]:
	rows = record.get("links", []) + record.get("shortcuts", []) + record.get("number_cards", [])
	return [record.get("label")] + [row.get("label") for row in rows + record.get("charts", [])]


RECORD_STRINGS = {
	"DocType": doctype_strings,
	"Workspace": workspace_strings,
	"Page": lambda record: [record.get("title")],
	"Report": lambda record: [record.get("report_name")],
	"Number Card": lambda record: [record.get("label")],
	"Dashboard Chart": lambda record: [record.get("chart_name")],
}


def record_strings() -> dict[str, str]:
	"""Labels of the app's DocTypes, pages, reports, workspace, number cards and charts."""
	found = {}
	for path in app_files((".json",)):
		try:
			record = json.loads(path.read_text(encoding="utf-8"))
		except ValueError:
			continue
		reader = RECORD_STRINGS.get(record.get("doctype")) if isinstance(record, dict) else None
		for text in reader(record) if reader else []:
			if text and text.strip():
				found.setdefault(text, str(path.relative_to(APP)))
	return found


def all_strings() -> dict[str, str]:
	return {**record_strings(), **code_strings()}


def read_translations(path: Path = NL_CSV) -> dict[str, str]:
	"""Source -> translation, as Frappe reads the app's CSV (source, translation[, context])."""
	if not path.exists():
		return {}
	with path.open(encoding="utf-8", newline="") as handle:
		return {row[0]: row[1] for row in csv.reader(handle) if len(row) >= 2 and row[0]}


def missing(translations: dict[str, str] | None = None) -> dict[str, str]:
	translations = read_translations() if translations is None else translations
	return {text: where for text, where in all_strings().items() if not translations.get(text, "").strip()}


def placeholders(text: str) -> list[str]:
	return sorted(PLACEHOLDER.findall(text))


if __name__ == "__main__":
	writer = csv.writer(sys.stdout, lineterminator="\n")
	for text, where in sorted(missing().items(), key=lambda item: (item[1], item[0])):
		writer.writerow([text, "", where])
