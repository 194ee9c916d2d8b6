"""Fixtures for the Mijnrood import tests: the generated sample export, import records, runs and cleanup."""

import atexit
import csv
import functools
import importlib
import importlib.util
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase

from verenigingen.core import import_status
from verenigingen.demo.mijnrood_defects import SAMPLE_DEFECTS
from verenigingen.demo.mijnrood_export import build_manifest, export_bytes, generate_members, write_export
from verenigingen.member_import import DOCTYPE
from verenigingen.member_import.importer import run_import
from verenigingen.member_import.runs import begin_run
from verenigingen.member_import.validation import run_validation

SAMPLE_FILES = {
	"xlsx": "Export Ledendatabase.xlsx",
	"csv-excel-nl": "ledenexport_excel_nl.csv",
	"csv-utf8-bom": "ledenexport_utf8_bom.csv",
}
EVERYTHING = "export-everything"
SHAPES = (*SAMPLE_FILES, EVERYTHING)
# The sample is generated (verenigingen/demo/mijnrood_export.py), the same on every run: 60 rows with
# the shared sample's defect mix (no_first_name and bad_email refused, dup_email skipped, bad_iban and
# bad_postcode imported with a warning). Its manifest says what each row is and what the import does.
SAMPLE = {"count": 60, "seed": 2026, "defects": SAMPLE_DEFECTS}


@functools.cache
def manifest() -> dict:
	"""The generated sample's manifest (made in memory: nothing needs to be on disk)."""
	return build_manifest(generate_members(**SAMPLE), SAMPLE["seed"], None)


SAMPLE_COUNTS = manifest()["counts"]
SAMPLE_GROUPS = tuple(manifest()["chapters"])


@functools.cache
def samples_dir() -> Path:
	"""The generated sample as files, written once per process into a temporary folder."""
	path = Path(tempfile.mkdtemp(prefix="verenigingen-mijnrood-sample-"))
	atexit.register(shutil.rmtree, path, True)
	write_export(path, **SAMPLE)
	return path


def shared_samples_dir() -> Path | None:
	"""An extra corpus when present: ``$MIJNROOD_SAMPLES`` or ``shared/samples/mijnrood`` beside the repository."""
	repo_root = Path(frappe.get_app_path("verenigingen")).resolve().parent
	path = Path(os.environ.get("MIJNROOD_SAMPLES") or repo_root.parent / "shared" / "samples" / "mijnrood")
	return path if (path / "manifest.json").is_file() else None


def site_free_mijnrood_tests():
	"""The site-free tests' ``tests/mijnrood`` package of this checkout, loaded by path.

	Another installed package owns the top-level name ``tests`` in the bench environment, so the
	package is loaded under a name of its own; its ``corpus`` module generates the malformed files.
	"""
	name = "verenigingen_site_free_mijnrood"
	if name not in sys.modules:
		path = Path(frappe.get_app_path("verenigingen")).resolve().parent / "tests" / "mijnrood"
		spec = importlib.util.spec_from_file_location(
			name, path / "__init__.py", submodule_search_locations=[str(path)]
		)
		module = importlib.util.module_from_spec(spec)
		sys.modules[name] = module
		spec.loader.exec_module(module)
	return importlib.import_module(f"{name}.corpus")


@functools.cache
def sample_bytes(shape: str) -> tuple[bytes, str]:
	"""One sample shape as an upload: ``(content, file name)``; export-everything zipped."""
	return export_bytes("everything-dir" if shape == EVERYTHING else shape, **SAMPLE)


def sample_rows() -> list[dict]:
	"""The manifest's rows, in file order (``row`` is the line a user sees)."""
	return manifest()["rows"]


def sample_row(defect: str) -> dict:
	"""The first row with that planted defect (``ok`` for a clean one)."""
	return next(row for row in sample_rows() if row["defect"] == defect)


def row_of(lidnr: str) -> dict:
	"""The manifest row of a member number."""
	return next(row for row in sample_rows() if str(row["lidnr"]) == lidnr)


def clean_lidnrs() -> list[str]:
	"""Lidnrs of the rows without a defect, in file order; the first is a complete member."""
	return [str(row["lidnr"]) for row in sample_rows() if row["defect"] == "ok"]


def lidnrs_where(action: str) -> list[str]:
	"""Lidnrs of the rows the import gives ``action`` (create, skip, error) on an empty site."""
	return [str(row["lidnr"]) for row in sample_rows() if row["import"] == action]


def full_name(row: dict) -> str:
	return " ".join(part for part in (row["first_name"], row["middle_name"], row["last_name"]) if part)


def as_cp1252(text: str) -> str:
	"""What Dutch Excel's CSV keeps of a name: letters Windows-1252 lacks become "?"."""
	return text.encode("cp1252", errors="replace").decode("cp1252")


def lossy_first_name_row() -> dict:
	"""A clean row whose first name (and only that) Windows-1252 cannot hold, such as "Ayşe"."""
	return next(
		row
		for row in sample_rows()
		if row["defect"] == "ok"
		and as_cp1252(row["first_name"]) != row["first_name"]
		and as_cp1252(row["last_name"]) == row["last_name"]
	)


def counts(doc) -> dict:
	"""The figures of an import that the whole sample fixes."""
	return {field: doc.get(field) for field in SAMPLE_COUNTS}


def edited_csv(edits: dict) -> bytes:
	"""The UTF-8 sample CSV with ``{lidnr: {header: value}}`` applied (a "newer export")."""
	text = sample_bytes("csv-utf8-bom")[0].decode("utf-8-sig")
	rows = list(csv.reader(io.StringIO(text)))
	header = rows[0]
	for row in rows[1:]:
		for column, value in edits.get(row[0], {}).items():
			row[header.index(column)] = value
	buffer = io.StringIO(newline="")
	csv.writer(buffer, lineterminator="\r\n").writerows(rows)
	return buffer.getvalue().encode("utf-8-sig")


def make_import(content: bytes, filename: str, **options) -> str:
	"""Upload ``content`` privately and create an import for it; commit (jobs run on other connections)."""
	file = frappe.get_doc(
		{"doctype": "File", "file_name": filename, "content": content, "is_private": 1}
	).insert()
	doc = frappe.get_doc({"doctype": DOCTYPE, "import_file": file.file_url, **options}).insert()
	frappe.db.commit()
	return doc.name


def validate_now(import_name: str) -> dict:
	"""Run the validation job body in this process."""
	run_validation(import_name, begin_run(import_name, import_status.VALIDATING))
	return frappe.get_doc(DOCTYPE, import_name)


def import_now(import_name: str):
	"""Run the import job body in this process and return the reloaded import."""
	run_import(import_name, begin_run(import_name, import_status.IMPORTING))
	return frappe.get_doc(DOCTYPE, import_name)


def import_shape(shape: str, **options):
	return import_now(make_import(*sample_bytes(shape), **options))


def sample_member_ids() -> list[str]:
	return list(dict.fromkeys(str(row["lidnr"]) for row in sample_rows()))


def delete_imported_data(member_ids, chapters_before: set, emails=()) -> None:
	"""Remove what the import jobs committed: members, their users and requests, new chapters, imports."""
	members = frappe.get_all(
		"Member", filters={"member_id": ("in", list(member_ids))}, fields=["name", "user"]
	)
	if emails:
		members += frappe.get_all("Member", filters={"email": ("in", list(emails))}, fields=["name", "user"])
	names = [m.name for m in members]
	users = [m.user for m in members if m.user]
	if names:
		frappe.db.delete("Account Creation Request", {"member": ("in", names)})
		frappe.db.delete("SEPA Mandate", {"member": ("in", names)})
		frappe.db.delete("Member", {"name": ("in", names)})
	for user in users:
		for contact in frappe.get_all("Contact", filters={"user": user}, pluck="name"):
			frappe.delete_doc("Contact", contact, force=True, ignore_permissions=True)  # with its email rows
		frappe.delete_doc("User", user, force=True, ignore_permissions=True)
	for chapter in set(frappe.get_all("Chapter", pluck="name")) - chapters_before:
		frappe.db.delete("Chapter", {"name": chapter})
	frappe.db.delete("Bulk Operation Tracker", {"source_import_doctype": DOCTYPE})
	frappe.db.delete("File", {"attached_to_doctype": DOCTYPE})
	frappe.db.delete(DOCTYPE)
	frappe.db.commit()


def set_settings(**values) -> dict:
	"""Change Verenigingen Settings (committed, so workers see it); return the old values."""
	settings = frappe.get_single("Verenigingen Settings")
	old = {key: settings.get(key) for key in values}
	settings.update(values)
	settings.save()
	frappe.db.commit()
	return old


class ImportTestCase(FrappeTestCase):
	"""Removes what import jobs committed, restores changed settings and the session user."""

	extra_member_ids: tuple = ()

	def setUp(self):
		frappe.set_user("Administrator")
		self.chapters_before = set(frappe.get_all("Chapter", pluck="name"))
		self.old_settings = {}
		self.member_ids = [*sample_member_ids(), *self.extra_member_ids]
		delete_imported_data(self.member_ids, self.chapters_before)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		if self.old_settings:
			set_settings(**self.old_settings)
		delete_imported_data(self.member_ids, self.chapters_before)

	def settings(self, **values) -> None:
		old = set_settings(**values)
		self.old_settings = {**old, **self.old_settings}

	def member_count(self) -> int:
		frappe.db.rollback()
		return frappe.db.count("Member", {"member_id": ("in", self.member_ids)})
