"""Mijnrood import on a real site: every sample shape, re-imports, updates, chapters, bad rows and files, report."""

import csv
import io
import os
import zipfile

import frappe
import openpyxl

from verenigingen.member_import import DOCTYPE
from verenigingen.member_import.report import error_report
from verenigingen.tests.import_factories import (
	EVERYTHING,
	SAMPLE_COUNTS,
	SAMPLE_FILES,
	SAMPLE_GROUPS,
	SHAPES,
	ImportTestCase,
	clean_lidnrs,
	counts,
	edited_csv,
	full_name,
	import_now,
	import_shape,
	lidnrs_where,
	make_import,
	row_of,
	sample_bytes,
	sample_row,
	sample_rows,
	validate_now,
)

CREATED, ERRORS, SKIPPED = (SAMPLE_COUNTS[key] for key in ("created_count", "error_count", "skipped_count"))
# row 0 of the generated sample: a complete member without defects
FIRST = sample_rows()[0]

class TestSampleShapes(ImportTestCase):
	def test_each_sample_shape_imports(self):
		"""XLSX, both CSVs and the zipped export-everything: same members, same verdicts."""
		for shape in SHAPES:
			with self.subTest(shape=shape):
				doc = import_shape(shape)
				self.assertEqual(doc.status, "Completed with Errors")
				self.assertEqual(counts(doc), SAMPLE_COUNTS)
				self.assertEqual(
					(doc.rows_done, doc.updated_count, doc.unchanged_count),
					(SAMPLE_COUNTS["total_rows"], 0, 0),
				)
				self.assertEqual(self.member_count(), CREATED)
				first = frappe.get_doc("Member", str(FIRST["lidnr"]))
				self.assertEqual(
					(first.full_name, first.email, first.phone, first.chapter),
					(full_name(FIRST), FIRST["email"], FIRST["phone_e164"], FIRST["chapter"]),
				)
				self.assertEqual(str(first.member_since), FIRST["member_since"])
				bad_iban, bad_postcode = (str(sample_row(k)["lidnr"]) for k in ("bad_iban", "bad_postcode"))
				self.assertTrue(sample_row("bad_iban")["iban"])
				self.assertFalse(frappe.db.get_value("Member", bad_iban, "iban"))  # bad IBAN never stored
				self.assertEqual(
					frappe.db.get_value("Member", bad_postcode, "postal_code"), "12345"
				)  # kept, warned
				refused = lidnrs_where("error") + lidnrs_where("skip")
				self.assertEqual(len(refused), 3)
				self.assertFalse(frappe.db.exists("Member", {"member_id": ("in", refused)}))
				self.assertEqual(frappe.db.count("Member", {"email": sample_row("dup_email")["email"]}), 1)
				self.tearDown()
				self.setUp()

	def test_reimport_of_the_same_file_changes_nothing(self):
		"""Second run: all unchanged, no member modified, no version written."""
		import_shape("xlsx")
		modified = dict(
			frappe.get_all(
				"Member",
				filters={"member_id": ("in", self.member_ids)},
				fields=["name", "modified"],
				as_list=True,
			)
		)
		versions = frappe.db.count("Version", {"ref_doctype": "Member"})
		again = import_shape("xlsx")
		self.assertEqual((again.created_count, again.updated_count, again.unchanged_count), (0, 0, CREATED))
		self.assertEqual((again.error_count, again.skipped_count), (ERRORS, SKIPPED))
		after = dict(
			frappe.get_all(
				"Member",
				filters={"member_id": ("in", self.member_ids)},
				fields=["name", "modified"],
				as_list=True,
			)
		)
		self.assertEqual(after, modified)
		self.assertEqual(frappe.db.count("Version", {"ref_doctype": "Member"}), versions)

	def test_other_shape_of_the_same_data_changes_nothing(self):
		"""export-everything after the XLSX: the same members, nothing to update."""
		import_shape("xlsx")
		doc = import_shape(EVERYTHING)
		self.assertEqual((doc.created_count, doc.updated_count, doc.unchanged_count), (0, 0, CREATED))

	def test_newer_export_updates_only_what_changed(self):
		"""Changed phone and city are written; an emptied date and a Terminated status are kept."""
		first, moved, terminated, undated, untouched = clean_lidnrs()[:5]
		city = "Arnhem" if row_of(moved)["city"] != "Arnhem" else "Zwolle"
		import_now(make_import(edited_csv({}), "leden.csv"))
		frappe.db.set_value("Member", terminated, "status", "Terminated")
		frappe.db.commit()
		before = frappe.db.get_value("Member", untouched, ["modified", "member_since"], as_dict=True)
		first_before = frappe.db.get_value("Member", first, "*", as_dict=True)
		since = row_of(undated)["member_since"]
		newer = edited_csv(
			{
				first: {"Telefoonnr.": "0687654321"},
				moved: {"Plaats": city},
				undated: {"Inschrijfdataum": ""},
			}
		)
		doc = import_now(make_import(newer, "leden-nieuw.csv"))
		self.assertEqual((doc.created_count, doc.updated_count, doc.unchanged_count), (0, 2, CREATED - 2))
		self.assertEqual(frappe.db.get_value("Member", first, "phone"), "+31687654321")
		self.assertEqual(frappe.db.get_value("Member", moved, "city"), city)
		self.assertEqual(str(frappe.db.get_value("Member", undated, "member_since")), since)
		self.assertEqual(frappe.db.get_value("Member", terminated, "status"), "Terminated")
		self.assertEqual(
			frappe.db.get_value("Member", untouched, ["modified", "member_since"], as_dict=True), before
		)
		first_after = frappe.db.get_value("Member", first, "*", as_dict=True)
		self.assertEqual(
			{key for key in first_after if first_after[key] != first_before[key]}, {"phone", "modified"}
		)

	def test_member_entered_by_hand_is_matched_by_email(self):
		"""No Lidnr yet: the row finds the member by email and fills in the Lidnr."""
		member = frappe.get_doc(
			{
				"doctype": "Member",
				"first_name": FIRST["first_name"],
				"tussenvoegsel": FIRST["middle_name"],
				"last_name": FIRST["last_name"],
				"email": FIRST["email"],
			}
		).insert()
		frappe.db.commit()
		self.addCleanup(lambda: (frappe.db.delete("Member", {"name": member.name}), frappe.db.commit()))
		doc = import_shape("xlsx")
		self.assertEqual((doc.created_count, doc.updated_count), (CREATED - 1, 1))
		self.assertEqual(frappe.db.get_value("Member", member.name, "member_id"), str(FIRST["lidnr"]))
		self.assertFalse(frappe.db.exists("Member", str(FIRST["lidnr"])))


class TestChapters(ImportTestCase):
	def setUp(self):
		# start without the sample's chapters, so the import has to create them
		frappe.db.delete("Chapter", {"name": ("in", SAMPLE_GROUPS)})
		frappe.db.commit()
		super().setUp()

	def test_groups_become_chapters(self):
		"""Every group of the sample gets a Chapter; members link to it."""
		import_shape("xlsx")
		for group in SAMPLE_GROUPS:
			self.assertTrue(frappe.db.exists("Chapter", group), group)
		self.assertEqual(frappe.db.get_value("Member", str(FIRST["lidnr"]), "chapter"), FIRST["chapter"])

	def test_division_details_fill_a_new_chapter(self):
		"""export-everything brings the division id and city along."""
		import_shape(EVERYTHING)
		chapter = frappe.db.get_value(
			"Chapter", FIRST["chapter"], ["mijnrood_division_id", "city"], as_dict=True
		)
		# the generated admin_division.csv names each division after its city
		self.assertEqual(
			(chapter.mijnrood_division_id, chapter.city), (str(FIRST["division_id"]), FIRST["chapter"])
		)

	def test_no_chapters_created_when_settings_say_so(self):
		"""Without create_missing_chapters the members come in without a chapter, and the preview says so."""
		self.settings(create_missing_chapters=0)
		doc = import_shape("xlsx")
		self.assertEqual(doc.created_count, CREATED)
		self.assertEqual(set(frappe.get_all("Chapter", pluck="name")), self.chapters_before)
		self.assertFalse(frappe.db.get_value("Member", str(FIRST["lidnr"]), "chapter"))
		self.assertIn("has no chapter", doc.preview_data)


class TestRobustness(ImportTestCase):
	def test_one_bad_row_never_stops_the_others(self):
		"""A value the database refuses (address too long for its column) fails that row only, with a reason."""
		refused, neighbour = clean_lidnrs()[5:7]
		line = str(row_of(refused)["row"])
		doc = import_now(make_import(edited_csv({refused: {"Adres": "Lange Straat " * 20}}), "leden.csv"))
		self.assertEqual(
			(doc.status, doc.created_count, doc.error_count),
			("Completed with Errors", CREATED - 1, ERRORS + 1),
		)
		self.assertFalse(frappe.db.exists("Member", refused))
		self.assertTrue(frappe.db.exists("Member", neighbour))
		failures = frappe.parse_json(doc.import_failures)
		self.assertEqual(list(failures), [line])  # the line the refused member is on
		_, content = error_report(doc)
		lines = content.decode("utf-8-sig").splitlines()
		# header, the refused row, and the rows refused or skipped by the parser
		self.assertEqual(len(lines), 1 + 1 + ERRORS + SKIPPED)
		self.assertTrue(any(text.startswith(f"{refused},") and failures[line] in text for text in lines))

	def test_unreadable_files_fail_with_one_message_and_write_nothing(self):
		"""Junk, a zip bomb and a path traversal: Failed, one message, no members, no chapters."""
		bomb = io.BytesIO()
		with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
			archive.writestr("admin_member.csv", b"\0" * (60 * 1024 * 1024))
		traversal = io.BytesIO()
		with zipfile.ZipFile(traversal, "w") as archive:
			archive.writestr("../admin_member.csv", b"id\n1\n")
		for content, filename in (
			(os.urandom(5000), "leden.xlsx"),
			(bomb.getvalue(), "export.zip"),
			(traversal.getvalue(), "export.zip"),
			(b"", "leeg.csv"),
		):
			with self.subTest(filename=filename):
				doc = import_now(make_import(content or b"\n", filename))
				self.assertEqual(doc.status, "Failed")
				self.assertTrue(doc.failure_message)
				self.assertEqual(self.member_count(), 0)
				self.assertEqual(set(frappe.get_all("Chapter", pluck="name")), self.chapters_before)

	def test_size_limit_from_settings(self):
		"""A file over Max Upload Size is refused before it is parsed."""
		self.settings(max_import_file_size_mb=1)
		content, _ = sample_bytes("csv-utf8-bom")
		doc = validate_now(make_import(content + b"\r\n" * (1024 * 1024), "groot.csv"))
		self.assertEqual(doc.status, "Failed")
		self.assertIn("larger than 1 MB", doc.failure_message)


class TestErrorReport(ImportTestCase):
	def test_report_has_the_upload_format_and_a_reason_column(self):
		"""CSV stays CSV (delimiter, encoding), XLSX stays XLSX, export-everything gives admin_member.csv."""
		for shape in SHAPES:
			with self.subTest(shape=shape):
				doc = validate_now(make_import(*sample_bytes(shape)))
				self.assertEqual(doc.status, "Validated")
				filename, content = error_report(doc)
				header, rows = self.read_report(shape, content)
				self.assertEqual(header[-1], "Reden")
				self.assertEqual(len(rows), ERRORS + SKIPPED)
				self.assertTrue(all(row[-1] for row in rows))
				if shape == EVERYTHING:
					self.assertEqual(filename, "admin_member.csv")
				else:
					self.assertEqual(os.path.splitext(filename)[1], os.path.splitext(SAMPLE_FILES[shape])[1])

	def read_report(self, shape, content):
		if shape == "xlsx":
			sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
			table = [list(row) for row in sheet.iter_rows(values_only=True)]
		elif shape == "csv-excel-nl":
			table = list(csv.reader(io.StringIO(content.decode("cp1252")), delimiter=";"))
		else:
			table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
		return table[0], table[1:]

	def test_fixed_report_imports_cleanly(self):
		"""Fix the refused rows in the report and upload it: they come in."""
		import_shape("csv-utf8-bom")
		doc = frappe.get_last_doc(DOCTYPE)
		_, content = error_report(doc)
		fixes = {
			str(sample_row("no_first_name")["lidnr"]): {"Voornaam": "Bjorn"},
			str(sample_row("bad_email")["lidnr"]): {"E-mailadres": sample_row("bad_email")["email"] + "@example.nl"},
		}
		table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
		for row in table[1:]:
			for column, value in fixes.get(row[0], {}).items():
				row[table[0].index(column)] = value
		text = io.StringIO(newline="")
		csv.writer(text, lineterminator="\r\n").writerows(table)
		fixed = import_now(make_import(text.getvalue().encode("utf-8-sig"), "leden - errors.csv"))
		# the duplicate row's email now belongs to a stored member: refused by the match, not skipped
		self.assertEqual((fixed.created_count, fixed.skipped_count, fixed.error_count), (2, 0, 1))
