"""Other exports import as their manifests promise: the generated one with every defect kind, and the
shared sample beside the repository when it is there (an extra corpus, never required)."""

import json

import frappe

from verenigingen.demo.mijnrood_export import (
	build_manifest,
	expected_action,
	expected_counts,
	export_bytes,
	generate_members,
)
from verenigingen.demo.mijnrood_files import zip_folder
from verenigingen.tests.import_factories import (
	EVERYTHING,
	SAMPLE,
	SAMPLE_FILES,
	SHAPES,
	ImportTestCase,
	counts,
	import_now,
	make_import,
	shared_samples_dir,
)

# the generated sample's member numbers (so ImportTestCase cleans up), every defect kind planted
EVERY_DEFECT = {**SAMPLE, "defects": True}


class TestCorpora(ImportTestCase):
	def assert_imports_as_promised(self, manifest: dict, upload) -> None:
		"""Every shape on an empty site: the manifest's counts, exactly its create rows as Members."""
		expected = expected_counts(manifest)
		created = {str(row["lidnr"]) for row in manifest["rows"] if expected_action(row) == "create"}
		bad_ibans = [str(row["lidnr"]) for row in manifest["rows"] if row["defect"] == "bad_iban"]
		for shape in SHAPES:
			with self.subTest(shape=shape):
				doc = import_now(make_import(*upload(shape)))
				self.assertEqual(counts(doc), expected)
				stored = frappe.get_all(
					"Member", filters={"member_id": ("in", self.member_ids)}, pluck="member_id"
				)
				self.assertEqual(set(stored), created)
				for lidnr in bad_ibans:
					self.assertFalse(frappe.db.get_value("Member", lidnr, "iban"), lidnr)
				self.tearDown()
				self.setUp()

	def test_every_defect_kind(self):
		"""23 kinds of damage in 60 rows: each row refused, skipped or created as the manifest says."""
		manifest = build_manifest(generate_members(**EVERY_DEFECT), EVERY_DEFECT["seed"], None)
		self.assertEqual(len(manifest["defects"]), 23)
		def upload(shape: str) -> tuple[bytes, str]:
			return export_bytes("everything-dir" if shape == EVERYTHING else shape, **EVERY_DEFECT)

		self.assert_imports_as_promised(manifest, upload)

	def test_shared_sample_when_present(self):
		"""The sample export CI keeps beside the repository ($MIJNROOD_SAMPLES), when there is one."""
		folder = shared_samples_dir()
		if folder is None:
			self.skipTest("no shared Mijnrood sample beside the repository (optional; set MIJNROOD_SAMPLES)")
		manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))

		def upload(shape: str) -> tuple[bytes, str]:
			if shape != EVERYTHING:
				return (folder / SAMPLE_FILES[shape]).read_bytes(), SAMPLE_FILES[shape]
			tables = {file.name: file.read_bytes() for file in sorted((folder / EVERYTHING).iterdir())}
			return zip_folder(tables, EVERYTHING), f"{EVERYTHING}.zip"

		self.assert_imports_as_promised(manifest, upload)
