"""What the import buttons enqueue (checked apart from running it), and the jobs on a real `long` worker."""

import frappe
from frappe.utils.background_jobs import generate_qname, get_job

from verenigingen.member_import import DOCTYPE, IMPORT_JOB, VALIDATE_JOB
from verenigingen.member_import.runs import enqueue_run
from verenigingen.tests.factories import make_staff_user
from verenigingen.tests.import_factories import (
	SAMPLE_COUNTS,
	ImportTestCase,
	make_import,
	sample_bytes,
	sample_rows,
	validate_now,
)
from verenigingen.tests.long_workers import LongWorkers, wait_for_import
from verenigingen.utils import mijnrood_import as api

TOTAL, VALID, CREATED = (SAMPLE_COUNTS[key] for key in ("total_rows", "valid_rows", "created_count"))


class TestImportQueueing(ImportTestCase):
	def setUp(self):
		super().setUp()
		self.manager = make_staff_user()
		frappe.db.commit()

	def click(self, method: str, name: str) -> dict:
		"""Press a form button as the manager and commit (jobs are enqueued after commit)."""
		frappe.set_user(self.manager.name)
		result = getattr(api, method)(name)
		frappe.db.commit()
		frappe.set_user("Administrator")
		return result

	def assert_job(self, job_id: str, method: str, name: str, run: int):
		job = get_job(job_id)
		self.assertIsNotNone(job)
		self.addCleanup(job.delete)
		self.assertEqual(job.origin, generate_qname("long"))
		self.assertEqual(job.kwargs["method"], method)
		self.assertEqual(job.kwargs["user"], self.manager.name)
		self.assertEqual(job.kwargs["kwargs"], {"import_name": name, "run": run})  # no personal data

	def test_validate_enqueues_one_job_on_long_with_the_name_only(self):
		name = make_import(*sample_bytes("xlsx"))
		result = self.click("validate_import", name)
		self.assert_job(result["job_id"], VALIDATE_JOB, name, 1)
		self.assertEqual(frappe.db.get_value(DOCTYPE, name, "status"), "Validating")
		self.assertRaises(frappe.ValidationError, self.click, "validate_import", name)
		self.assertRaises(frappe.ValidationError, self.click, "start_import", name)

	def test_start_enqueues_the_import_job_and_refuses_a_second_start(self):
		name = make_import(*sample_bytes("csv-utf8-bom"))
		result = self.click("start_import", name)
		self.assert_job(result["job_id"], IMPORT_JOB, name, 1)
		self.assertRaises(frappe.ValidationError, self.click, "start_import", name)

	def test_same_run_enqueued_twice_is_one_job(self):
		name = make_import(*sample_bytes("xlsx"))
		frappe.set_user(self.manager.name)
		first = enqueue_run(name, 7, "Importing")
		frappe.db.commit()
		job = get_job(first)
		self.addCleanup(job.delete)
		enqueue_run(name, 7, "Importing")
		frappe.db.commit()
		self.assertEqual(get_job(first).id, job.id)
		self.assertEqual(get_job(first).enqueued_at, job.enqueued_at)

	def test_validation_writes_nothing_but_the_import(self):
		chapters = set(frappe.get_all("Chapter", pluck="name"))
		doc = validate_now(make_import(*sample_bytes("xlsx")))
		self.assertEqual((doc.status, doc.total_rows, doc.valid_rows), ("Validated", TOTAL, VALID))
		self.assertEqual(frappe.parse_json(doc.preview_data)["actions"]["create"], CREATED)
		self.assertEqual(self.member_count(), 0)
		self.assertEqual(set(frappe.get_all("Chapter", pluck="name")), chapters)


class TestImportOnWorker(ImportTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.workers = LongWorkers(1).start()

	@classmethod
	def tearDownClass(cls):
		cls.workers.stop()
		super().tearDownClass()

	def test_validate_then_import_on_a_long_worker(self):
		manager = make_staff_user()
		frappe.db.commit()
		frappe.set_user(manager.name)
		name = make_import(*sample_bytes("xlsx"))
		api.validate_import(name)
		frappe.db.commit()
		validated = wait_for_import(name, {"Validated", "Failed"})
		self.assertEqual(
			(validated.status, validated.valid_rows, validated.created_count), ("Validated", VALID, 0)
		)
		self.assertEqual(self.member_count(), 0)
		frappe.set_user(manager.name)
		api.start_import(name)
		frappe.db.commit()
		done = wait_for_import(name, {"Completed", "Completed with Errors", "Failed"})
		self.assertEqual(
			(done.status, done.created_count, done.rows_done), ("Completed with Errors", CREATED, TOTAL)
		)
		first = str(sample_rows()[0]["lidnr"])
		self.assertEqual(frappe.db.get_value("Member", first, "owner"), manager.name)  # ran as the manager
		self.assertEqual(self.member_count(), CREATED)
