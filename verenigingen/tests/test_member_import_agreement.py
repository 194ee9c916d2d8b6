"""Validate and the import agree: what the preview promises per row is what the import does.

The preview is judged by the Member's real field limits (read from its meta), so a value the insert
would refuse is refused (or its field dropped) in the preview already. A Windows-1252 CSV re-imported
over correct names keeps the stored names and says so.
"""

import csv
import io

import frappe
from frappe.utils import getdate

from verenigingen.core.field_limits import is_frappe_email
from verenigingen.core.mijnrood import MEMBER_FIELDS, parse_export
from verenigingen.member_import.planning import member_field_rules
from verenigingen.member_import.report import error_report
from verenigingen.tests.import_factories import (
	SAMPLE_COUNTS,
	SHAPES,
	ImportTestCase,
	as_cp1252,
	clean_lidnrs,
	edited_csv,
	full_name,
	import_now,
	import_shape,
	lossy_first_name_row,
	make_import,
	sample_bytes,
	sample_rows,
	site_free_mijnrood_tests,
	validate_now,
)

COUNT_OF_ACTION = {
	"create": "created_count",
	"update": "updated_count",
	"unchanged": "unchanged_count",
	"skip": "skipped_count",
	"error": "error_count",
}
# the Frappe upload limit is 10 MB: a larger file cannot even be attached
MAX_ATTACHABLE = 10 * 1024 * 1024
CREATED, ERRORS, SKIPPED = (SAMPLE_COUNTS[key] for key in ("created_count", "error_count", "skipped_count"))
FIRST = sample_rows()[0]
# a sample member whose first name Windows-1252 cannot hold ("Ayşe" becomes "Ay?e")
LOSSY = lossy_first_name_row()
LOSSY_ID, LOSSY_NAME, DAMAGED_NAME = str(LOSSY["lidnr"]), LOSSY["first_name"], as_cp1252(LOSSY["first_name"])
KEPT_NAME = (
	f"First Name: the stored value is kept; '{DAMAGED_NAME}' lost letters that Windows-1252 cannot hold"
)


def preview_of(doc) -> dict:
	return frappe.parse_json(doc.preview_data)


def preview_row(doc, lidnr: str) -> dict:
	(row,) = [row for row in preview_of(doc)["rows"] if row["lidnr"] == lidnr]
	return row


class AgreementTestCase(ImportTestCase):
	extra_member_ids = ("7", "9999")

	def assert_import_keeps_the_preview(self, content: bytes, filename: str) -> None:
		"""Validate, then import the same record: counts per action and created rows as the preview said."""
		doc = validate_now(make_import(content, filename))
		if doc.status == "Failed":
			# a file refused as a whole: starting the import anyway refuses it alike and writes nothing
			done = import_now(doc.name)
			self.assertEqual((done.status, done.failure_message), ("Failed", doc.failure_message))
			self.assertEqual(done.created_count + done.updated_count, 0)
			return
		preview = preview_of(doc)
		done = import_now(doc.name)
		self.assertIn(done.status, ("Completed", "Completed with Errors"), done.failure_message)
		outcome = {action: done.get(field) for action, field in COUNT_OF_ACTION.items()}
		self.assertEqual(outcome, preview["actions"])
		failures = frappe.parse_json(done.import_failures or "{}")
		self.assertEqual(set(failures), self.refused_after_parsing(preview, content, filename))
		for row in preview["rows"]:
			exists = bool(row["lidnr"]) and frappe.db.exists("Member", {"member_id": row["lidnr"]})
			if row["action"] == "create":
				self.assertTrue(exists, row)

	@staticmethod
	def refused_after_parsing(preview: dict, content: bytes, filename: str) -> set:
		"""Preview error rows the parser accepted (refused by the match or the field limits)."""
		parsed = parse_export(content, filename, today=getdate())
		by_parser = {str(row.row_number) for row in parsed.rows if row.errors}
		return {str(row["row"]) for row in preview["rows"] if row["action"] == "error"} - by_parser

	def reset(self) -> None:
		self.tearDown()
		self.setUp()


class TestPreviewAgreesWithImport(AgreementTestCase):
	def test_every_sample_shape_new_and_again(self):
		"""Each shape on an empty site, then again over what it created."""
		for shape in SHAPES:
			with self.subTest(shape=shape):
				self.assert_import_keeps_the_preview(*sample_bytes(shape))
				self.assert_import_keeps_the_preview(*sample_bytes(shape))
				self.reset()

	def test_malformed_corpus(self):
		"""Every generated malformed file, and every row a Member cannot hold, gets the same verdict twice."""
		corpus = site_free_mijnrood_tests()
		cases = [*corpus.all_cases(), *corpus.member_field_cases()]
		checked = 0
		for case in cases:
			content = case.make()
			if len(content) > MAX_ATTACHABLE or not content:
				continue  # Frappe refuses the attachment itself; there is no import to compare
			with self.subTest(case=case.id):
				self.assert_import_keeps_the_preview(content, case.filename)
				checked += 1
			self.reset()
		self.assertGreaterEqual(checked, len(cases) - 2)


class TestMemberFieldLimits(AgreementTestCase):
	def test_limits_are_read_from_the_member_meta(self):
		"""Lengths, options and links as Frappe checks them on insert."""
		limits = member_field_rules({"Amsterdam": "Amsterdam", "Leeg": None}).limits
		self.assertEqual(set(limits), {*MEMBER_FIELDS, "full_name"})
		self.assertEqual((limits["first_name"]["length"], limits["country"]["length"]), (140, 2))
		self.assertEqual(limits["email"]["options"], "Email")
		self.assertIn("Quarterly", limits["contribution_period"]["options"])
		self.assertTrue(limits["first_name"]["reqd"])
		self.assertEqual(
			member_field_rules({"Amsterdam": "Amsterdam", "Leeg": None}).links, {"Chapter": {"Amsterdam"}}
		)

	def test_email_rule_matches_frappe(self):
		"""Every address the plan accepts Frappe accepts, and the ones it refuses Frappe refuses."""
		accepted = [
			"anna@example.nl",
			"o'neill+club@mail.example.co.uk",
			"a_b-c@x-y.nl",
			"anna.vanhaan.0@example.nl",
		]
		refused = [
			"zoë@example.nl",
			"anna..haan@example.nl",
			".anna@example.nl",
			"anna@-example.nl",
			"a@exämple.nl",
		]
		for email in accepted:
			self.assertTrue(is_frappe_email(email), email)
			frappe.utils.validate_email_address(email, throw=True)
		for email in refused:
			self.assertFalse(is_frappe_email(email), email)
			self.assertFalse(frappe.utils.validate_email_address(email), email)

	def test_300_character_first_name_is_refused_by_preview_and_import_alike(self):
		"""The preview says error (not create); the import refuses the row; the error report carries the reason."""
		long_name, long_address = clean_lidnrs()[1:3]
		content = edited_csv(
			{long_name: {"Voornaam": "A" * 300}, long_address: {"Adres": "Kerkstraat " * 15}}
		)
		doc = validate_now(make_import(content, "leden.csv"))
		reasons = {
			long_name: "First Name: 300 characters, more than the 140 a Member holds",
			long_address: "Address: 164 characters, more than the 140 a Member holds",
		}
		for lidnr, reason in reasons.items():
			self.assertEqual(
				(preview_row(doc, lidnr)["action"], preview_row(doc, lidnr)["reasons"]), ("error", [reason])
			)
		done = import_now(doc.name)
		self.assertEqual(
			(done.created_count, done.error_count, done.skipped_count), (CREATED - 2, ERRORS + 2, SKIPPED)
		)
		self.assertFalse(frappe.db.exists("Member", {"member_id": ("in", list(reasons))}))
		_, report = error_report(done)
		rows = list(csv.reader(io.StringIO(report.decode("utf-8-sig"))))
		self.assertEqual({row[0]: row[-1] for row in rows if row[0] in reasons}, reasons)

	def test_group_too_long_for_a_chapter_name(self):
		"""With chapter creation on, a 150-character group cannot become a Chapter: both leave it out."""
		self.settings(create_missing_chapters=1)
		first, long_group = clean_lidnrs()[:2]
		content = edited_csv({long_group: {"Groep": "G" * 150}})
		doc = validate_now(make_import(content, "leden.csv"))
		row = preview_row(doc, long_group)
		self.assertEqual(row["action"], "create")
		self.assertIn(f"group {'G' * 150} has no chapter; not set", row["warnings"])
		self.assertNotIn("G" * 150, preview_of(doc)["new_chapters"])
		self.assert_import_keeps_the_preview(content, "leden.csv")
		self.assertFalse(frappe.db.get_value("Member", long_group, "chapter"))
		self.assertTrue(frappe.db.get_value("Member", first, "chapter"))

	def test_email_of_an_existing_member_is_refused_in_preview_and_import(self):
		"""A member with another Lidnr holds the email: the preview refuses the row, and so does the import."""
		frappe.get_doc(
			{
				"doctype": "Member",
				"member_id": "9999",
				"first_name": "Iemand",
				"last_name": "Anders",
				"email": FIRST["email"],
			}
		).insert()
		frappe.db.commit()
		doc = validate_now(make_import(*sample_bytes("xlsx")))
		self.assertEqual(preview_row(doc, str(FIRST["lidnr"]))["action"], "error")
		done = import_now(doc.name)
		self.assertEqual(done.error_count, ERRORS + 1)
		self.assertFalse(frappe.db.exists("Member", str(FIRST["lidnr"])))


class TestNarrowEncodingReimport(AgreementTestCase):
	def member_names(self) -> dict:
		return {
			m.name: (m.first_name, m.tussenvoegsel, m.last_name, m.full_name)
			for m in frappe.get_all(
				"Member",
				filters={"member_id": ("in", self.member_ids)},
				fields=["name", "first_name", "tussenvoegsel", "last_name", "full_name"],
			)
		}

	def test_cp1252_csv_over_xlsx_keeps_the_stored_names(self):
		"""Excel's Dutch CSV after the XLSX: "Ayşe" stays, and the preview says why nothing changed."""
		import_shape("xlsx")
		before = self.member_names()
		self.assertEqual(before[LOSSY_ID][0], LOSSY_NAME)
		doc = validate_now(make_import(*sample_bytes("csv-excel-nl")))
		lossy = preview_row(doc, LOSSY_ID)
		self.assertEqual(lossy["action"], "unchanged")
		self.assertIn(KEPT_NAME, lossy["warnings"])
		done = import_now(doc.name)
		self.assertEqual((done.created_count, done.updated_count, done.unchanged_count), (0, 0, CREATED))
		self.assertEqual(self.member_names(), before)

	def test_cp1252_csv_over_a_name_corrected_in_desk(self):
		"""The damaged name was imported first, then corrected by hand: the next CSV import keeps the correction."""
		import_shape("csv-excel-nl")
		self.assertEqual(frappe.db.get_value("Member", LOSSY_ID, "first_name"), DAMAGED_NAME)
		member = frappe.get_doc("Member", LOSSY_ID)
		member.first_name = LOSSY_NAME
		member.save()
		frappe.db.commit()
		doc = validate_now(make_import(*sample_bytes("csv-excel-nl")))
		self.assertIn(KEPT_NAME, preview_row(doc, LOSSY_ID)["warnings"])
		done = import_now(doc.name)
		self.assertEqual(done.updated_count, 0)
		self.assertEqual(
			frappe.db.get_value("Member", LOSSY_ID, ["first_name", "full_name"]),
			(LOSSY_NAME, full_name(LOSSY)),
		)

	def test_utf8_csv_with_a_question_mark_is_a_real_change(self):
		"""A UTF-8 file could have held the letter: its "?" is what it says, and is written."""
		import_shape("xlsx")
		done = import_now(make_import(edited_csv({LOSSY_ID: {"Voornaam": DAMAGED_NAME}}), "leden.csv"))
		self.assertEqual(done.updated_count, 1)
		self.assertEqual(frappe.db.get_value("Member", LOSSY_ID, "first_name"), DAMAGED_NAME)
