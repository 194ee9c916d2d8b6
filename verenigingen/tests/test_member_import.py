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
	counts,
	edited_csv,
	import_now,
	import_shape,
	make_import,
	sample_bytes,
	validate_now,
)


class TestSampleShapes(ImportTestCase):
	def test_each_sample_shape_imports(self):
		"""XLSX, both CSVs and the zipped export-everything: same members, same verdicts."""
		for shape in SHAPES:
			with self.subTest(shape=shape):
				doc = import_shape(shape)
				self.assertEqual(doc.status, "Completed with Errors")
				self.assertEqual(counts(doc), SAMPLE_COUNTS)
				self.assertEqual((doc.rows_done, doc.updated_count, doc.unchanged_count), (60, 0, 0))
				self.assertEqual(self.member_count(), 57)
				anna = frappe.get_doc("Member", "1000")
				self.assertEqual(
					(anna.full_name, anna.email, anna.phone, anna.chapter),
					("Anna van Haan", "anna.vanhaan.0@example.nl", "+31608301661", "Nijmegen"),
				)
				self.assertEqual(str(anna.member_since), "2025-03-17")
				self.assertFalse(frappe.db.get_value("Member", "1050", "iban"))  # bad IBAN never stored
				self.assertEqual(
					frappe.db.get_value("Member", "1013", "postal_code"), "12345"
				)  # kept, warned
				self.assertFalse(frappe.db.exists("Member", {"member_id": ("in", ["1012", "1015", "1046"])}))
				self.assertEqual(frappe.db.count("Member", {"email": "sven.terjacobs.45@example.nl"}), 1)
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
		self.assertEqual((again.created_count, again.updated_count, again.unchanged_count), (0, 0, 57))
		self.assertEqual((again.error_count, again.skipped_count), (2, 1))
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
		self.assertEqual((doc.created_count, doc.updated_count, doc.unchanged_count), (0, 0, 57))

	def test_newer_export_updates_only_what_changed(self):
		"""Changed phone and city are written; an emptied date and a Terminated status are kept."""
		import_now(make_import(edited_csv({}), "leden.csv"))
		frappe.db.set_value("Member", "1002", "status", "Terminated")
		frappe.db.commit()
		before = frappe.db.get_value("Member", "1004", ["modified", "member_since"], as_dict=True)
		anna_before = frappe.db.get_value("Member", "1000", "*", as_dict=True)
		newer = edited_csv(
			{
				"1000": {"Telefoonnr.": "0687654321"},
				"1001": {"Plaats": "Arnhem"},
				"1003": {"Inschrijfdataum": ""},
			}
		)
		doc = import_now(make_import(newer, "leden-nieuw.csv"))
		self.assertEqual((doc.created_count, doc.updated_count, doc.unchanged_count), (0, 2, 55))
		self.assertEqual(frappe.db.get_value("Member", "1000", "phone"), "+31687654321")
		self.assertEqual(frappe.db.get_value("Member", "1001", "city"), "Arnhem")
		self.assertEqual(str(frappe.db.get_value("Member", "1003", "member_since")), "2017-11-28")
		self.assertEqual(frappe.db.get_value("Member", "1002", "status"), "Terminated")
		self.assertEqual(
			frappe.db.get_value("Member", "1004", ["modified", "member_since"], as_dict=True), before
		)
		anna_after = frappe.db.get_value("Member", "1000", "*", as_dict=True)
		self.assertEqual(
			{key for key in anna_after if anna_after[key] != anna_before[key]}, {"phone", "modified"}
		)

	def test_member_entered_by_hand_is_matched_by_email(self):
		"""No Lidnr yet: the row finds the member by email and fills in the Lidnr."""
		member = frappe.get_doc(
			{
				"doctype": "Member",
				"first_name": "Anna",
				"tussenvoegsel": "van",
				"last_name": "Haan",
				"email": "anna.vanhaan.0@example.nl",
			}
		).insert()
		frappe.db.commit()
		self.addCleanup(lambda: (frappe.db.delete("Member", {"name": member.name}), frappe.db.commit()))
		doc = import_shape("xlsx")
		self.assertEqual((doc.created_count, doc.updated_count), (56, 1))
		self.assertEqual(frappe.db.get_value("Member", member.name, "member_id"), "1000")
		self.assertFalse(frappe.db.exists("Member", "1000"))


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
		self.assertEqual(frappe.db.get_value("Member", "1000", "chapter"), "Nijmegen")

	def test_division_details_fill_a_new_chapter(self):
		"""export-everything brings the division id and city along."""
		import_shape(EVERYTHING)
		chapter = frappe.db.get_value("Chapter", "Nijmegen", ["mijnrood_division_id", "city"], as_dict=True)
		self.assertEqual((chapter.mijnrood_division_id, chapter.city), ("5", "Nijmegen"))

	def test_no_chapters_created_when_settings_say_so(self):
		"""Without create_missing_chapters the members come in without a chapter, and the preview says so."""
		self.settings(create_missing_chapters=0)
		doc = import_shape("xlsx")
		self.assertEqual(doc.created_count, 57)
		self.assertEqual(set(frappe.get_all("Chapter", pluck="name")), self.chapters_before)
		self.assertFalse(frappe.db.get_value("Member", "1000", "chapter"))
		self.assertIn("has no chapter", doc.preview_data)


class TestRobustness(ImportTestCase):
	def test_one_bad_row_never_stops_the_others(self):
		"""A value the database refuses (address too long for its column) fails that row only, with a reason."""
		doc = import_now(make_import(edited_csv({"1005": {"Adres": "Lange Straat " * 20}}), "leden.csv"))
		self.assertEqual((doc.status, doc.created_count, doc.error_count), ("Completed with Errors", 56, 3))
		self.assertFalse(frappe.db.exists("Member", "1005"))
		self.assertTrue(frappe.db.exists("Member", "1006"))
		failures = frappe.parse_json(doc.import_failures)
		self.assertEqual(list(failures), ["7"])  # 1005 is on line 7
		_, content = error_report(doc)
		lines = content.decode("utf-8-sig").splitlines()
		self.assertEqual(len(lines), 1 + 4)  # header, the refused row, and the three refused by the parser
		self.assertTrue(any(line.startswith("1005,") and failures["7"] in line for line in lines))

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
				self.assertEqual(len(rows), 3)
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
		text = content.decode("utf-8-sig").replace(",,van den,Visser", ",Bjorn,van den,Visser")
		text = text.replace("hanspeter.uitdeprins.15example.nl", "hanspeter.uitdeprins.15@example.nl")
		fixed = import_now(make_import(text.encode("utf-8-sig"), "leden - errors.csv"))
		# the duplicate row's email now belongs to a stored member: refused by the match, not skipped
		self.assertEqual((fixed.created_count, fixed.skipped_count, fixed.error_count), (2, 0, 1))
