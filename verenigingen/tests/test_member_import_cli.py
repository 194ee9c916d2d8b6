"""bench --site S import-mijnrood: summary, progress, exit codes."""

import subprocess

import frappe
from frappe.utils import get_bench_path

from verenigingen.tests.import_factories import (
	EVERYTHING,
	SAMPLE_COUNTS,
	SAMPLE_FILES,
	ImportTestCase,
	sample_rows,
	samples_dir,
)

COUNTED = ("total_rows", "valid_rows", "error_count", "skipped_count", "created_count")
TOTAL, VALID, ERRORS, SKIPPED, CREATED = (SAMPLE_COUNTS[key] for key in COUNTED)
# the first row the summary lists: refused or skipped
FIRST_REFUSED = next(row for row in sample_rows() if row["import"] != "create")


class TestBenchCommand(ImportTestCase):
	def bench(self, *args):
		return subprocess.run(
			["bench", "--site", frappe.local.site, "import-mijnrood", *args],
			cwd=get_bench_path(),
			capture_output=True,
			text=True,
			timeout=180,
			check=False,
		)

	def test_validate_only_prints_a_summary_and_imports_nothing(self):
		result = self.bench(str(samples_dir() / SAMPLE_FILES["xlsx"]), "--validate-only")
		self.assertEqual(result.returncode, 0, result.stderr)
		self.assertIn(
			f"Rows: {TOTAL}, valid: {VALID}, errors: {ERRORS}, skipped (duplicates): {SKIPPED}", result.stdout
		)
		self.assertIn(f"row {FIRST_REFUSED['row']} (Lidnr {FIRST_REFUSED['lidnr']})", result.stdout)
		self.assertEqual(self.member_count(), 0)

	def test_import_of_the_export_folder(self):
		result = self.bench(str(samples_dir() / EVERYTHING), "--no-create-accounts")
		self.assertEqual(result.returncode, 0, result.stderr)
		self.assertIn("Completed with Errors", result.stdout)
		self.assertIn(f"created {CREATED}", result.stdout)
		self.assertEqual(self.member_count(), CREATED)

	def test_unreadable_file_exits_non_zero(self):
		for path in ("/etc/hostname", "/no/such/export.xlsx"):
			with self.subTest(path=path):
				result = self.bench(path)
				self.assertNotEqual(result.returncode, 0)
				self.assertTrue(result.stderr.strip())
				self.assertEqual(self.member_count(), 0)
