"""The plan before a bulk account run: what it counts, that a dry run creates nothing, the import's plan."""

import subprocess
import time
from unittest.mock import patch

import frappe
from frappe.utils import get_bench_path
from frappe.utils.background_jobs import get_queue

from verenigingen.account_creation import REQUEST, TRACKER, batches
from verenigingen.core import run_plan
from verenigingen.monitoring.queues import count_workers
from verenigingen.tests.factories import make_member, make_members, make_user
from verenigingen.tests.import_factories import EVERYTHING, import_now, make_import, sample_bytes, samples_dir
from verenigingen.tests.test_bulk_accounts import BulkTestCase
from verenigingen.tests.test_member_import_accounts import ELIGIBLE, NO_ACCESS, AccountsTestCase
from verenigingen.tests.workers import BulkWorkers
from verenigingen.utils import account_creation_manager as acm
from verenigingen.utils.mijnrood_import import get_account_plan


def bulk_queue_job_ids() -> list[str]:
	return get_queue("bulk").get_job_ids()


def wait_for_workers(predicate, timeout: float = 60) -> int:
	"""Wait until the number of registered bulk workers satisfies ``predicate``."""
	deadline = time.monotonic() + timeout
	while time.monotonic() < deadline:
		count = count_workers("bulk")
		if count is not None and predicate(count):
			return count
		time.sleep(0.2)
	raise AssertionError(f"bulk workers never got there in {timeout}s (now {count_workers('bulk')})")


class TestDryRun(BulkTestCase):
	def plan(self, member_names, **kwargs) -> dict:
		frappe.set_user(self.manager.name)
		try:
			return acm.queue_bulk_account_creation_for_members(frappe.as_json(member_names), **kwargs)
		finally:
			frappe.set_user("Administrator")

	def test_dry_run_counts_each_refusal_and_creates_nothing(self):
		eligible = make_members(3)
		with_user = make_member()
		with_user.db_set("user", make_user().name)
		no_email = make_members(1, email="")
		suspended = make_members(1, status="Suspended")
		waiting = make_members(1)
		with patch.object(batches, "enqueue_batch"):
			held = self.queue_bulk(waiting)  # an open request, never run
		self.addCleanup(acm.cancel_bulk_operation, held["tracker"])
		members = [*eligible, eligible[0], with_user.name, *no_email, *suspended, *waiting, "NO-SUCH-MEMBER"]
		before = (frappe.db.count(REQUEST), frappe.db.count(TRACKER), sorted(bulk_queue_job_ids()))
		for flag in ({"dry_run": "1"}, {"dry_run": "true"}, {"plan": 1}, {"plan": "True"}):
			with self.subTest(flag=flag):
				plan = self.plan(members, batch_size="2", **flag)
				frappe.db.commit()
				self.assertTrue(plan["dry_run"])
				self.assertEqual((plan["requests"], plan["batches"], plan["excluded"]), (3, 2, 6))
				self.assertEqual(
					plan["excluded_by_reason"],
					{
						run_plan.HAS_USER: 1,
						run_plan.OPEN_REQUEST: 1,
						run_plan.NOT_ACTIVE: 1,
						run_plan.NO_EMAIL: 1,
						run_plan.NOT_FOUND: 1,
						run_plan.LISTED_TWICE: 1,
					},
				)
				self.assertEqual((frappe.db.count(REQUEST), frappe.db.count(TRACKER), sorted(bulk_queue_job_ids())),
					before)
		summary = self.queue_bulk(eligible)  # the real run agrees with its plan
		self.assertEqual((summary["queued"], summary["batches"]), (3, 1))
		acm.cancel_bulk_operation(summary["tracker"])
		frappe.db.commit()

	def test_expected_duration_only_from_this_sites_runs(self):
		plan = self.plan(make_members(120), dry_run=1)
		history = frappe.db.sql(
			"""select count(*) from `tabBulk Operation Tracker` where operation_type = 'Account Creation'
			and status in ('Completed', 'Completed with Errors') and started_at is not null
			and finished_at >= now() - interval 30 day"""
		)[0][0]
		if history:
			self.assertEqual(plan["expected_seconds"], round(120 * 60 / plan["rate_per_minute"], 1))
			self.assertIn(str(plan["rate_per_minute"]), plan["html"])
		else:
			self.assertIsNone(plan["expected_seconds"])
			self.assertIn("unknown", " ".join(plan["summary"]))

	def test_no_bulk_worker_is_a_warning_in_the_dialog(self):
		names = make_members(2)
		workers = BulkWorkers(2).start()
		try:
			wait_for_workers(lambda count: count >= 2)
			plan = self.plan(names, dry_run=1)
			self.assertGreaterEqual(plan["bulk_workers"], 2)
			self.assertNotIn(run_plan.NO_WORKER, plan["warnings"])
		finally:
			workers.stop()
		deadline = time.monotonic() + 60
		plan = self.plan(names, dry_run=1)
		while plan["bulk_workers"] and time.monotonic() < deadline:  # until the stopped workers deregistered
			time.sleep(0.2)
			plan = self.plan(names, dry_run=1)
		self.assertEqual(plan["bulk_workers"], 0)
		self.assertEqual(plan["warnings"][0], run_plan.NO_WORKER)
		self.assertIn(f'data-plan-warning="{run_plan.NO_WORKER}"', plan["html"])
		self.assertIn("bench worker --queue bulk", plan["html"])


class TestImportPlan(AccountsTestCase):
	def test_the_import_plan_matches_the_accounts_the_import_queues(self):
		frappe.set_user(self.manager.name)
		name = make_import(*sample_bytes(EVERYTHING), create_user_accounts=1, send_welcome_emails=0)
		before = (frappe.db.count(REQUEST), frappe.db.count("Member", {"member_id": ("in", self.member_ids)}))
		plan = get_account_plan(name)
		self.assertEqual(plan["requests"], ELIGIBLE)
		# the six members whose Mijnrood status allows no login, and any such row the import refuses anyway
		self.assertGreaterEqual(plan["excluded_by_reason"].get(run_plan.NOT_ACTIVE), len(NO_ACCESS))
		self.assertEqual(
			(frappe.db.count(REQUEST), frappe.db.count("Member", {"member_id": ("in", self.member_ids)})), before
		)
		with patch.object(batches, "enqueue_batch"):
			doc = import_now(name)
		self.assertEqual(doc.accounts_queued, plan["requests"])
		again = get_account_plan(name)  # now every eligible member has an open request
		self.assertEqual((again["requests"], again["excluded_by_reason"].get(run_plan.OPEN_REQUEST)), (0, ELIGIBLE))
		self.assertEqual(again["warnings"], [run_plan.NOTHING_TO_DO])

	def test_bench_import_with_accounts_prints_the_plan_first(self):
		result = subprocess.run(
			["bench", "--site", frappe.local.site, "import-mijnrood", str(samples_dir() / EVERYTHING),
				"--validate-only", "--create-accounts"],
			cwd=get_bench_path(), capture_output=True, text=True, timeout=180, check=False,
		)
		self.assertEqual(result.returncode, 0, result.stderr)
		self.assertIn("User accounts after the import:", result.stdout)
		self.assertIn(f"{ELIGIBLE} members get an account request", result.stdout)
		self.assertIn("Bulk workers running (whole bench):", result.stdout)
		self.assertIn("Expected duration:", result.stdout)
		self.assertEqual(self.member_count(), 0)  # validate only: nothing imported, nothing queued
