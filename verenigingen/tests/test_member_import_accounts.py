"""An import with "create user accounts": eligible members go through the bulk account path."""

import math
from unittest.mock import patch

import frappe

from verenigingen.account_creation import REQUEST, TRACKER, batches
from verenigingen.member_import import DOCTYPE
from verenigingen.tests.factories import make_staff_user
from verenigingen.tests.import_factories import (
	EVERYTHING,
	SAMPLE_COUNTS,
	ImportTestCase,
	import_now,
	make_import,
	sample_bytes,
	sample_rows,
)
from verenigingen.tests.workers import WithBulkWorkers, wait_for_tracker
from verenigingen.utils.mijnrood_import import get_import_progress

# imported sample rows whose Mijnrood status ("Opgezegd") does not allow a login
NO_ACCESS = tuple(
	str(row["lidnr"]) for row in sample_rows() if row["import"] == "create" and row["allows_access"] is False
)
ELIGIBLE = SAMPLE_COUNTS["created_count"] - len(NO_ACCESS)


class AccountsTestCase(ImportTestCase):
	def setUp(self):
		super().setUp()
		self.manager = make_staff_user()
		frappe.db.commit()

	def import_as_manager(self, shape: str = EVERYTHING):
		frappe.set_user(self.manager.name)
		doc = import_now(make_import(*sample_bytes(shape), create_user_accounts=1, send_welcome_emails=0))
		frappe.set_user("Administrator")
		return doc


class TestAccountsQueued(AccountsTestCase):
	def test_eligible_members_are_queued_with_the_import_as_source(self):
		with patch.object(batches, "enqueue_batch") as enqueue:
			doc = self.import_as_manager()
		tracker = frappe.get_doc(TRACKER, doc.bulk_operation_tracker)
		self.assertEqual((tracker.source_import_doctype, tracker.source_import), (DOCTYPE, doc.name))
		self.assertEqual((tracker.total, doc.accounts_queued), (ELIGIBLE, ELIGIBLE))
		self.assertEqual(tracker.requested_by, self.manager.name)
		self.assertEqual(enqueue.call_count, math.ceil(ELIGIBLE / tracker.batch_size))
		queued = [name for call in enqueue.call_args_list for name in call.args[2]]
		members = set(frappe.get_all(REQUEST, filters={"name": ("in", queued)}, pluck="member"))
		self.assertEqual(len(members), ELIGIBLE)
		self.assertFalse(members & set(NO_ACCESS))

	def test_second_import_queues_nobody_twice(self):
		with patch.object(batches, "enqueue_batch"):
			first = self.import_as_manager()
			again = self.import_as_manager()
		self.assertEqual(first.accounts_queued, ELIGIBLE)
		self.assertEqual((again.accounts_queued, again.bulk_operation_tracker), (0, None))
		self.assertEqual(frappe.db.count(REQUEST, {"member": ("in", self.member_ids)}), ELIGIBLE)


class TestAccountsCreated(WithBulkWorkers, AccountsTestCase):
	def test_import_with_accounts_creates_users_through_the_bulk_path(self):
		doc = self.import_as_manager()
		tracker = wait_for_tracker(doc.bulk_operation_tracker, timeout=300)
		self.assertEqual((tracker.status, tracker.successful), ("Completed", ELIGIBLE), tracker.error_summary)
		rows = frappe.get_all(
			"Member", filters={"member_id": ("in", self.member_ids)}, fields=["member_id", "email", "user"]
		)
		with_user = {row.member_id for row in rows if row.user}
		self.assertEqual(len(with_user), ELIGIBLE)
		self.assertFalse(with_user & set(NO_ACCESS))
		self.assertTrue(all(row.user == row.email for row in rows if row.user))
		frappe.set_user(self.manager.name)
		progress = get_import_progress(doc.name)
		self.assertEqual(
			(progress["tracker"]["processed"], progress["tracker"]["status"]), (ELIGIBLE, "Completed")
		)
