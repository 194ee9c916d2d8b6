"""scripts/quickstart.sh on this bench with a new site of its own: the demo is made, and made once.

The bench exists, so the script installs and downloads nothing; it creates the site, installs the
app from this checkout, imports the generated demo export with accounts and mandates (its own
temporary `bulk` and `long` workers, `--no-start`: no process is left running) and fills a Direct
Debit Batch. A second run must change nothing. The site is dropped afterwards. Takes minutes.
"""

import json
import os
import re
import shutil
import subprocess
import time
import unittest
from pathlib import Path

import frappe
import pymysql
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_bench_path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "quickstart.sh"
SITE = "verenigingen-quickstart-test.localhost"
MEMBERS = 300
SEED = 2026
RUN_TIMEOUT_S = 1800
# Everything the demo makes, counted in the site's database before and after the second run.
COUNTED = {
	"members": "select count(*) from `tabMember`",
	"member_logins": "select count(*) from `tabMember` where ifnull(user, '') != ''",
	"active_with_email": "select count(*) from `tabMember` where status = 'Active' and ifnull(email, '') != ''",
	"website_users": "select count(*) from `tabUser` where user_type = 'Website User' and name != 'Guest'",
	"contacts": "select count(*) from `tabContact`",
	"requests": "select count(*) from `tabAccount Creation Request`",
	"completed_requests": "select count(*) from `tabAccount Creation Request` where status = 'Completed'",
	"runs": "select count(*) from `tabBulk Operation Tracker`",
	"imports": "select count(*) from `tabMijnrood CSV Import`",
	"mandates": "select count(*) from `tabSEPA Mandate`",
	"active_mandates": "select count(*) from `tabSEPA Mandate` where status = 'Active'",
	"batches": "select count(*) from `tabDirect Debit Batch`",
	"batch_entries": "select count(*) from `tabDirect Debit Batch Entry`",
	"audit_events": "select count(*) from `tabSEPA Audit Log`",
	"chapters": "select count(*) from `tabChapter`",
	"files": "select count(*) from `tabFile`",
	"activity_logs": "select count(*) from `tabActivity Log`",
}


def quickstart_missing() -> str | None:
	if os.geteuid() != 0:
		return "the quickstart needs root (it re-runs itself with sudo otherwise)"
	if not (Path(get_bench_path()) / "apps" / "verenigingen").exists():
		return "the app is not linked into this bench"
	return None


def expected_members() -> tuple[int, int]:
	"""From the generator: members the import creates, and those whose data asks for a SEPA mandate."""
	from verenigingen.core.sepa.accounts import check_iban
	from verenigingen.demo.mijnrood_export import generate_members

	created = [row for row in generate_members(MEMBERS, SEED, True) if row["import"] == "create"]
	# a valid IBAN and a contribution; the "bad_amount" row's amount is refused, so it has none
	mandated = [row for row in created if row["iban"] and check_iban(row["iban"]).valid and row["defect"] != "bad_amount"]
	return len(created), len(mandated)


def run_quickstart(*args: str) -> tuple[str, float]:
	"""Run the script as a newcomer would (no CI variable), return its output and its seconds."""
	env = {key: value for key, value in os.environ.items() if key != "CI"}
	env.update(BENCH_DIR=get_bench_path(), DEMO_SITE=SITE, DEMO_MEMBERS=str(MEMBERS), QUICKSTART_START="0")
	started = time.monotonic()
	result = subprocess.run(["bash", str(SCRIPT), *args], env=env, capture_output=True, text=True,
		timeout=RUN_TIMEOUT_S, stdin=subprocess.DEVNULL)
	seconds = time.monotonic() - started
	output = result.stdout + result.stderr
	if result.returncode:
		raise AssertionError(f"quickstart exited {result.returncode}:\n{output[-6000:]}")
	return output, seconds


def demo_line(output: str) -> dict:
	match = re.search(r"^DEMO (\{.*\})$", output, re.MULTILINE)
	if not match:
		raise AssertionError(f"no DEMO summary line in:\n{output[-4000:]}")
	return json.loads(match.group(1))


def site_counts() -> dict[str, int]:
	"""The demo site's rows, read straight from its database (not through the app)."""
	config = json.loads((Path(get_bench_path()) / "sites" / SITE / "site_config.json").read_text())
	common = frappe.get_conf()
	connection = pymysql.connect(host=config.get("db_host") or common.db_host or "127.0.0.1",
		port=int(config.get("db_port") or common.db_port or 3306), user=config.get("db_user") or config["db_name"],
		password=config["db_password"], database=config["db_name"])
	try:
		with connection.cursor() as cursor:
			counts = {}
			for key, sql in COUNTED.items():
				cursor.execute(sql)
				counts[key] = cursor.fetchone()[0]
			cursor.execute("select operation_type, status, total, successful, failed from `tabBulk Operation Tracker`")
			counts["run_rows"] = sorted(cursor.fetchall())
			cursor.execute("select value from `tabSingles` where doctype = 'System Settings' and field = 'setup_complete'")
			counts["setup_complete"] = int((cursor.fetchone() or ["0"])[0])
			cursor.execute("select value from `tabSingles` where doctype = 'System Settings' and field = 'enable_scheduler'")
			counts["scheduler_enabled"] = int((cursor.fetchone() or ["0"])[0])
		return counts
	finally:
		connection.close()


def drop_site() -> None:
	bench = Path(get_bench_path())
	if (bench / "sites" / SITE).exists():
		subprocess.run([str(bench / "env" / "bin" / "python"), "-m", "frappe.utils.bench_helper", "frappe",
			"drop-site", SITE, "--force", "--no-backup", "--db-root-username", "root"], cwd=bench / "sites",
			input="\n", text=True, capture_output=True, check=False, timeout=600)
		shutil.rmtree(bench / "sites" / SITE, ignore_errors=True)
	for leftover in (bench / "config" / "quickstart").glob(f"{SITE}.*"):
		leftover.unlink()


@unittest.skipIf(quickstart_missing(), f"QUICKSTART TEST SKIPPED: {quickstart_missing()}")
class TestQuickstart(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		drop_site()  # left by an aborted run
		try:
			cls.first_output, cls.first_seconds = run_quickstart()
			cls.first = site_counts()
			cls.second_output, cls.second_seconds = run_quickstart()
			cls.second = site_counts()
		except BaseException:
			drop_site()  # tearDownClass does not run after a failed setUpClass
			raise
		print(f"\nquickstart on {SITE}: first run {cls.first_seconds:.0f} s, second run {cls.second_seconds:.0f} s")

	@classmethod
	def tearDownClass(cls):
		drop_site()
		super().tearDownClass()

	def test_demo_import_with_accounts_mandates_and_batch(self):
		counts, summary = self.first, demo_line(self.first_output)
		created, with_mandate = expected_members()
		self.assertEqual((counts["setup_complete"], counts["scheduler_enabled"]), (1, 1))
		self.assertEqual(counts["imports"], 1)
		self.assertEqual(summary["import_status"], "Completed with Errors")  # the export's defect rows
		self.assertEqual(counts["members"], created)
		# every active member with an e-mail address got a login through the bulk run
		self.assertEqual(counts["active_with_email"], created)
		self.assertEqual(counts["member_logins"], created)
		self.assertEqual(counts["website_users"], created)
		self.assertEqual(counts["completed_requests"], created)
		self.assertEqual(counts["active_mandates"], with_mandate)
		self.assertEqual(counts["run_rows"], [("Account Creation", "Completed", created, created, 0),
			("Mandate Creation", "Completed", with_mandate, with_mandate, 0)])
		self.assertEqual(counts["batches"], 1)
		self.assertGreater(counts["batch_entries"], 0)
		self.assertEqual(counts["batch_entries"], summary["batch_entries"])
		self.assertGreaterEqual(counts["activity_logs"], 1)  # the site counts as active for the scheduler

	def test_second_run_changes_nothing(self):
		self.assertEqual(self.second, self.first)
		self.assertIn("already done", self.second_output)
		self.assertNotIn("creating the site", self.second_output)

	def test_no_process_left_running(self):
		run_dir = Path(get_bench_path()) / "config" / "quickstart"
		self.assertEqual(sorted(path.name for path in run_dir.glob("demo-*.pid")), [])
		self.assertIn("none left running", self.second_output)
