"""A crash in the middle of an import: committed chunks stay, and Start Import finishes without duplicates."""

from unittest.mock import patch

import frappe
from frappe.utils import add_to_date, now_datetime

from verenigingen.member_import import DOCTYPE
from verenigingen.member_import.importer import run_import
from verenigingen.tests.import_factories import (
	SAMPLE_COUNTS,
	ImportTestCase,
	counts,
	import_now,
	make_import,
	sample_bytes,
	sample_rows,
)

CHUNK = 20
# rows of the first chunk the import creates: the others are refused or skipped by the parser
CREATED_IN_FIRST_CHUNK = sum(row["import"] == "create" for row in sample_rows()[:CHUNK])
from verenigingen.utils.mijnrood_import import start_import


class TestResume(ImportTestCase):
	def setUp(self):
		super().setUp()
		self.settings(import_chunk_size=CHUNK)

	def failing_on_chunk(self, number: int, exception: BaseException):
		"""A write_chunk that raises on the ``number``-th chunk (a crash in the middle of the import)."""
		from verenigingen.member_import import importer

		real, calls = importer.write_chunk, []

		def write_chunk(planned, import_name):
			calls.append(1)
			if len(calls) == number:
				raise exception
			return real(planned, import_name)

		return patch.object(importer, "write_chunk", write_chunk)

	def test_failure_mid_import_then_start_again_finishes_without_duplicates(self):
		"""Chunk 2 crashes: chunk 1 stays, the import is Failed, and Start Import resumes after chunk 1."""
		name = make_import(*sample_bytes("xlsx"))
		with self.failing_on_chunk(2, RuntimeError("database went away")):
			doc = import_now(name)
		self.assertEqual(
			(doc.status, doc.rows_done, doc.created_count), ("Failed", CHUNK, CREATED_IN_FIRST_CHUNK)
		)
		self.assertIn("RuntimeError", doc.failure_message)
		self.assertLess(CREATED_IN_FIRST_CHUNK, CHUNK)  # the first chunk has a refused row too
		self.assertEqual(self.member_count(), CREATED_IN_FIRST_CHUNK)
		doc = import_now(name)
		self.assertEqual(doc.status, "Completed with Errors")
		self.assertEqual(counts(doc), SAMPLE_COUNTS)
		self.assertEqual(
			doc.created_count + doc.updated_count + doc.unchanged_count + doc.error_count + doc.skipped_count,
			SAMPLE_COUNTS["total_rows"],
		)
		self.assertEqual(self.member_count(), SAMPLE_COUNTS["created_count"])

	def test_killed_run_can_be_taken_over_once_silent(self):
		"""A worker killed mid-import leaves "Importing"; after the silence limit Start Import resumes."""
		name = make_import(*sample_bytes("csv-excel-nl"))
		with self.failing_on_chunk(2, SystemExit(137)), self.assertRaises(SystemExit):
			import_now(name)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value(DOCTYPE, name, ["status", "rows_done"]), ("Importing", CHUNK))
		self.assertRaises(frappe.ValidationError, start_import, name)  # still looks alive
		frappe.db.set_value(DOCTYPE, name, "progress_at", add_to_date(now_datetime(), minutes=-20))
		frappe.db.commit()
		self.assertEqual(start_import(name)["status"], "Importing")
		frappe.db.rollback()  # drop the enqueue; run the job body here instead
		run_import(name, frappe.db.get_value(DOCTYPE, name, "import_run"))
		doc = frappe.get_doc(DOCTYPE, name)
		self.assertEqual(counts(doc), SAMPLE_COUNTS)
		self.assertEqual(self.member_count(), SAMPLE_COUNTS["created_count"])
