"""SEPA mandates from the Mijnrood import on a real site: one per eligible member, idempotent, amendments."""

import frappe

from verenigingen.sepa import AUDIT_LOG, MANDATE
from verenigingen.sepa.mandates import AMENDED, CREATED
from verenigingen.tests.import_factories import (
	ImportTestCase,
	edited_csv,
	import_now,
	import_shape,
	make_import,
)
from verenigingen.tests.sepa_factories import delete_sepa_data
from verenigingen.tests.workers import WithBulkWorkers, wait_for_tracker

TRACKER = "Bulk Operation Tracker"


class TestMandatesFromImport(WithBulkWorkers, ImportTestCase):
	def setUp(self):
		super().setUp()
		delete_sepa_data(self.sample_member_names())

	def tearDown(self):
		delete_sepa_data(self.sample_member_names())
		super().tearDown()

	def sample_member_names(self) -> list[str]:
		return frappe.get_all("Member", filters={"member_id": ("in", self.member_ids)}, pluck="name")

	def eligible(self) -> set[str]:
		frappe.db.rollback()
		return set(
			frappe.get_all(
				"Member",
				filters={
					"member_id": ("in", self.member_ids),
					"iban": ("is", "set"),
					"contribution_amount": (">", 0),
					"status": "Active",
				},
				pluck="name",
			)
		)

	def mandate_run(self, import_name: str):
		frappe.db.rollback()
		return frappe.db.get_value(
			TRACKER, {"source_import": import_name, "operation_type": "Mandate Creation"}, "name"
		)

	def mandates(self, **filters) -> list[dict]:
		frappe.db.rollback()
		return frappe.get_all(
			MANDATE,
			filters={"member": ("in", self.sample_member_names()), **filters},
			fields=["name", "member", "iban", "bic", "status", "signature_date", "amended_from_mandate"],
		)

	def test_import_creates_one_mandate_per_eligible_member_then_none_then_one_amendment(self):
		"""First import: a mandate each, audited; re-import: no run, no mandate; new IBAN: one amendment."""
		doc = import_shape("xlsx")
		eligible = self.eligible()
		self.assertGreater(len(eligible), 30)
		run = self.mandate_run(doc.name)
		tracker = wait_for_tracker(run, timeout=300)
		for other_run in frappe.get_all(TRACKER, filters={"source_import": doc.name}, pluck="name"):
			wait_for_tracker(other_run, timeout=300)  # the others too (ERPNext: the Customer run)
		self.assertEqual(
			(tracker.status, tracker.total, tracker.successful), ("Completed", len(eligible), len(eligible))
		)
		mandates = self.mandates()
		self.assertEqual(sorted(m.member for m in mandates), sorted(eligible))
		self.assertTrue(all(m.status == "Active" and m.bic and m.signature_date for m in mandates))
		created = frappe.get_all(
			AUDIT_LOG, filters={"trace_id": run, "action": CREATED}, pluck="reference_name"
		)
		self.assertEqual(sorted(created), sorted(m.name for m in mandates))

		again = import_shape("xlsx")
		self.assertIsNone(self.mandate_run(again.name))
		self.assertEqual(len(self.mandates()), len(mandates))

		member_id = frappe.db.get_value("Member", min(eligible), "member_id")
		changed = import_now(make_import(edited_csv({member_id: {"IBAN": "NL20INGB0001234567"}}), "new.csv"))
		self.assertEqual(frappe.db.get_value("Member", min(eligible), "iban"), "NL20INGB0001234567")
		amend_run = self.mandate_run(changed.name)
		self.assertEqual(wait_for_tracker(amend_run).successful, 1)
		member = min(eligible)
		rows = {m.status: m for m in self.mandates(member=member)}
		self.assertEqual(set(rows), {"Active", "Cancelled"})
		self.assertEqual((rows["Active"].iban, rows["Active"].bic), ("NL20INGB0001234567", "INGBNL2A"))
		self.assertEqual(rows["Active"].amended_from_mandate, rows["Cancelled"].name)
		self.assertEqual(len(self.mandates(status="Active")), len(eligible))
		actions = frappe.get_all(AUDIT_LOG, filters={"trace_id": amend_run}, pluck="action")
		self.assertEqual(sorted(actions), sorted([AMENDED, "Mandate Cancelled"]))
