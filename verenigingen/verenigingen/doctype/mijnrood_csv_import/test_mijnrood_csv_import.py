# Copyright (c) 2026, Verenigingen developers and contributors
# For license information, please see license.txt

import frappe

from verenigingen.member_import import DOCTYPE
from verenigingen.member_import.runs import begin_run
from verenigingen.tests.import_factories import ImportTestCase, make_import, sample_bytes, validate_now


class TestMijnroodCSVImport(ImportTestCase):
	def test_new_import_is_a_draft_whatever_it_is_given(self):
		"""Status and counts come from the jobs only."""
		file = frappe.get_doc(
			{"doctype": "File", "file_name": "a.csv", "content": b"x", "is_private": 1}
		).insert()
		doc = frappe.get_doc(
			{"doctype": DOCTYPE, "import_file": file.file_url, "status": "Completed"}
		).insert()
		self.assertEqual(doc.status, "Draft")

	def test_saving_the_form_cannot_change_results(self):
		"""A save with edited status or counts keeps the stored results."""
		doc = validate_now(make_import(*sample_bytes("xlsx")))
		doc.status, doc.created_count, doc.create_user_accounts = "Completed", 999, 1
		doc.save()
		doc.reload()
		self.assertEqual((doc.status, doc.created_count, doc.create_user_accounts), ("Validated", 0, 1))

	def test_another_file_resets_the_results(self):
		"""Attaching another file makes it a draft again, with no counts or preview."""
		doc = validate_now(make_import(*sample_bytes("xlsx")))
		other = frappe.get_doc(
			{"doctype": "File", "file_name": "ander.csv", "content": b"Lidnr.\n1", "is_private": 1}
		).insert()
		doc.import_file = other.file_url
		doc.save()
		self.assertEqual((doc.status, doc.total_rows, doc.preview_data), ("Draft", 0, None))

	def test_file_cannot_change_while_running(self):
		"""A live run keeps its file."""
		name = make_import(*sample_bytes("xlsx"))
		begin_run(name, "Importing")
		doc = frappe.get_doc(DOCTYPE, name)
		doc.import_file = "/private/files/other.csv"
		self.assertRaises(frappe.ValidationError, doc.save)
