"""Member accounts make no outbound network request, on production-style workers (no test flags)."""

import json
import os
import tempfile
import time

import frappe
from frappe.tests.utils import FrappeTestCase

from verenigingen.account_creation import REQUEST
from verenigingen.tests.factories import make_members, make_staff_user
from verenigingen.tests.workers import BulkWorkers, network_guarded_environment, wait_for_tracker
from verenigingen.utils import account_creation_manager as acm

WAIT_SECONDS = 120


def read_text(path: str) -> str:
	if not os.path.exists(path):
		return ""
	with open(path, encoding="utf-8") as file:
		return file.read()


def wait_for_file(path: str, holds=bool, timeout: float = WAIT_SECONDS) -> str:
	"""The file's text once ``holds(text)``; fails after ``timeout`` seconds."""
	deadline = time.monotonic() + timeout
	while time.monotonic() < deadline:
		text = read_text(path)
		if holds(text):
			return text
		time.sleep(0.2)
	raise AssertionError(f"{path} did not get there in {timeout}s")


class TestNoOutboundRequests(FrappeTestCase):
	"""Real `bench worker` processes for `bulk` and `short`, without CI, under a network guard."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.folder = tempfile.mkdtemp(prefix="verenigingen-network-guard-")
		cls.guard_log = os.path.join(cls.folder, "outbound.jsonl")
		env = network_guarded_environment(cls.guard_log)
		cls.workers = [BulkWorkers(2, "bulk", env).start(), BulkWorkers(1, "short", env).start()]

	@classmethod
	def tearDownClass(cls):
		for workers in cls.workers:
			workers.stop()
		super().tearDownClass()

	def setUp(self):
		self.manager = make_staff_user()
		frappe.db.commit()
		with open(self.guard_log, "w"):
			pass  # empty: each test reads only its own records

	def tearDown(self):
		frappe.set_user("Administrator")

	def guard_records(self) -> list[dict]:
		"""This site's records (the workers also serve jobs other sites of the bench left queued)."""
		records = [json.loads(line) for line in read_text(self.guard_log).splitlines() if line.strip()]
		return [record for record in records if record["site"] in (frappe.local.site, None)]

	def test_workers_run_without_test_flags_and_the_guard_catches_a_lookup(self):
		flags_file = os.path.join(self.folder, "flags.json")
		frappe.enqueue("verenigingen.tests.workers.record_worker_flags", queue="bulk", path=flags_file)
		self.assertEqual(json.loads(wait_for_file(flags_file))["in_test"], False)
		# The control: Frappe's own look-up from such a worker is caught, so silence below means something.
		frappe.enqueue("frappe.utils.has_gravatar", queue="bulk", email="control@example.nl")
		wait_for_file(self.guard_log, lambda text: "gravatar.com" in text)
		self.assertIn("has_gravatar", " ".join(self.guard_records()[0]["stack"]))

	def test_bulk_and_single_member_accounts_make_no_outbound_request(self):
		bulk_members, single_member = make_members(6), make_members(1)[0]
		frappe.set_user(self.manager.name)
		summary = acm.queue_bulk_account_creation_for_members(frappe.as_json(bulk_members), batch_size=3)
		single = acm.queue_account_creation_for_member(single_member)
		frappe.db.commit()  # jobs are enqueued after commit
		frappe.set_user("Administrator")
		tracker = wait_for_tracker(summary["tracker"], timeout=WAIT_SECONDS)
		self.assertEqual((tracker.status, tracker.successful), ("Completed", 6))
		self.wait_for_request(single["request"])
		self.assertEqual(self.guard_records(), [])
		for member in [*bulk_members, single_member]:
			user = frappe.db.get_value("Member", member, "user")
			contact = frappe.db.get_value("Contact", {"user": user}, ["image", "status"], as_dict=True)
			self.assertEqual((contact.image or "", contact.status), ("", "Passive"), "Frappe's defaults, no picture")
			self.assertFalse(frappe.db.get_value("User", user, "user_image"))
		self.assertFalse(frappe.flags.in_import)

	def wait_for_request(self, request_name: str) -> None:
		deadline = time.monotonic() + WAIT_SECONDS
		while time.monotonic() < deadline:
			frappe.db.rollback()  # see the worker's commit
			if frappe.db.get_value(REQUEST, request_name, "status") == "Completed":
				return
			time.sleep(0.2)
		raise AssertionError(f"{request_name} was not completed in {WAIT_SECONDS}s")
