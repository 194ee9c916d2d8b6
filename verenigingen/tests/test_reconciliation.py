"""Mijnrood Reconciliation on a real site: the report's findings per kind, its permissions, and the fixes
through the real bulk account path and mandate run (requests, trackers and batches checked, not run).

The site holds other tests' members too, so assertions look at the records this test made.
"""

import csv
import io

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

from verenigingen.account_creation import REQUEST, TRACKER
from verenigingen.core import reconciliation as r
from verenigingen.member_import import DOCTYPE as IMPORT
from verenigingen.permissions import ADMINISTRATOR_ROLE, MANAGER_ROLE, MEMBER_ROLE
from verenigingen.reconciliation.export import latest_import
from verenigingen.reconciliation.findings import reconcile_site
from verenigingen.sepa import MANDATE
from verenigingen.tests.factories import make_member, make_staff_user, make_user, unique_suffix
from verenigingen.tests.import_factories import make_import
from verenigingen.utils import reconciliation as api
from verenigingen.verenigingen.report.mijnrood_reconciliation import mijnrood_reconciliation as report

HEADER = [
	"Lidnr.", "Voornaam", "Tussenvoegsel", "Achternaam", "Geboortedatum", "Inschrijfdataum", "Groep",
	"E-mailadres", "Telefoonnr.", "Adres", "Plaats", "Postcode", "Landcode", "IBAN", "Contributiebedrag",
	"Betaalperiode", "Betaald", "Mollie CID", "Mollie SID", "Privacybeleid geaccepteerd", "Lidmaatschapstype",
]
VALID_IBAN = "NL39ASNB7975432319"


def export_csv(rows: list[tuple[str, str]]) -> bytes:
	"""An admin-list CSV with one line per ``(lidnr, email)``."""
	buffer = io.StringIO(newline="")
	writer = csv.writer(buffer, lineterminator="\r\n")
	writer.writerow(HEADER)
	for lidnr, email in rows:
		writer.writerow([lidnr, "Anna", "van", "Haan", "7-7-2006", "17-3-2025", "", email, "", "", "", "", "NL",
			"", "", "", "", "", "", "Ja", "Lid"])
	return buffer.getvalue().encode("utf-8")


class TestMijnroodReconciliation(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.suffix = unique_suffix()
		# Lidnrs are numbers: unique ones from the suffix (hex), far above the samples' and factories'
		base = 900_000_000 + int(cls.suffix[:6], 16) * 10
		keys = ("agree", "nouser", "absent", "email", "iban", "missing")
		ids = {key: str(base + offset) for offset, key in enumerate(keys)}
		cls.ids = ids
		exported = [key for key in ids if key != "absent"]
		content = export_csv([(ids[key], f"lid{ids[key]}@example.nl") for key in exported])
		cls.import_name = make_import(content, f"reconciliation-{cls.suffix}.csv")
		# As a finished import leaves it (the file itself is what is compared, not the import's counts).
		frappe.db.set_value(IMPORT, cls.import_name, {"status": "Completed", "finished_at": now_datetime()})
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		frappe.db.delete("File", {"attached_to_doctype": IMPORT, "attached_to_name": cls.import_name})
		frappe.db.delete(IMPORT, {"name": cls.import_name})
		frappe.db.commit()
		super().tearDownClass()

	def setUp(self):
		frappe.set_user("Administrator")
		self.members = {}
		for key in ("agree", "nouser", "absent", "email", "iban"):
			member_id = self.ids[key]
			values = {"member_id": member_id, "email": f"lid{member_id}@example.nl", "first_name": "Anna",
				"tussenvoegsel": "van", "last_name": "Haan"}
			if key == "iban":
				values.update(iban=VALID_IBAN, contribution_amount=10)
			self.members[key] = make_member(**values).name
		for key in ("agree", "email", "iban", "absent"):
			email = f"lid{self.ids[key]}@example.nl" if key != "email" else f"other.{self.suffix}@example.nl"
			user = make_user(email)
			user.update({"first_name": "Anna", "middle_name": "van", "last_name": "Haan"})
			user.save()
			frappe.db.set_value("Member", self.members[key], "user", user.name)
		self.orphan = make_user(f"orphan.{self.suffix}@example.nl", roles=(MEMBER_ROLE,)).name

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def mine(self, findings) -> set[tuple[str, str]]:
		"""(kind, which of this test's records) for the findings about this test's records."""
		by_member = {name: key for key, name in self.members.items()}
		found = set()
		for finding in findings:
			if finding.member in by_member:
				found.add((finding.kind, by_member[finding.member]))
			elif finding.user == self.orphan:
				found.add((finding.kind, "orphan"))
			elif finding.member_id == self.ids["missing"]:
				found.add((finding.kind, "missing"))
		return found

	def test_each_kind_is_found_for_the_records_made_here(self):
		result = reconcile_site(self.import_name)
		self.assertEqual(
			self.mine(result.findings),
			{
				(r.MISSING_MEMBER, "missing"),
				(r.NOT_IN_EXPORT, "absent"),
				(r.MEMBER_WITHOUT_USER, "nouser"),
				(r.USER_WITHOUT_MEMBER, "orphan"),
				(r.EMAIL_DIFFERS, "email"),
				(r.IBAN_WITHOUT_MANDATE, "iban"),
			},
		)
		self.assertIsNone(result.note)

	def test_name_difference_between_member_and_user(self):
		user = frappe.db.get_value("Member", self.members["agree"], "user")
		frappe.db.set_value("User", user, "last_name", "Haan-de Wit")
		self.assertIn((r.NAME_DIFFERS, "agree"), self.mine(reconcile_site(self.import_name).findings))

	def test_the_newest_completed_import_is_the_default(self):
		self.assertEqual(latest_import(), self.import_name)
		self.assertEqual(reconcile_site().import_name, self.import_name)

	def test_report_rows_link_the_records_and_filter_by_kind(self):
		frappe.set_user(make_staff_user(MANAGER_ROLE).name)
		columns, rows, message, _chart, summary = report.execute(
			{"mijnrood_import": self.import_name, "kind": r.MEMBER_WITHOUT_USER}
		)
		links = {column["fieldname"]: column.get("options") for column in columns if column["fieldtype"] == "Link"}
		self.assertEqual(links, {"member": "Member", "user": "User"})
		self.assertEqual({row["kind"] for row in rows}, {r.MEMBER_WITHOUT_USER})
		[mine] = [row for row in rows if row["member"] == self.members["nouser"]]
		self.assertEqual((mine["fix"], mine["detail"]), (r.CREATE_ACCOUNT, ""))
		self.assertIn(self.import_name, message)
		self.assertEqual(len(summary), len(r.KINDS))

	def test_report_is_refused_to_a_member(self):
		frappe.set_user(self.orphan)
		with self.assertRaises(frappe.PermissionError):
			report.execute({"mijnrood_import": self.import_name})

	def test_create_missing_accounts_queues_exactly_the_fixable_members(self):
		frappe.set_user(make_staff_user(MANAGER_ROLE).name)
		expected = r.members_to_fix(reconcile_site(self.import_name).findings, r.CREATE_ACCOUNT)
		self.assertIn(self.members["nouser"], expected)
		summary = api.create_missing_accounts(self.import_name)
		requested = frappe.get_all(REQUEST, filters={"tracker": summary["tracker"]}, pluck="member")
		self.assertEqual(sorted(requested), sorted(expected))
		for key in ("agree", "absent", "email", "iban"):
			self.assertNotIn(self.members[key], requested)
		self.assertEqual(frappe.db.get_value(TRACKER, summary["tracker"], "operation_type"), "Account Creation")
		# Done once: the request is open now, so the finding offers no fix any more.
		self.assertNotIn(
			self.members["nouser"], r.members_to_fix(reconcile_site(self.import_name).findings, r.CREATE_ACCOUNT)
		)

	def test_kind_filter_limits_the_fix_to_the_findings_shown(self):
		summary = api.create_missing_accounts(self.import_name, r.NAME_DIFFERS)
		self.assertIsNone(summary["tracker"])

	def test_queue_missing_mandates_through_the_mandate_run(self):
		frappe.set_user(make_staff_user(ADMINISTRATOR_ROLE).name)
		summary = api.queue_missing_mandates(self.import_name)
		self.assertTrue(summary["tracker"])
		self.assertEqual(frappe.db.get_value(TRACKER, summary["tracker"], "operation_type"), "Mandate Creation")
		expected = r.members_to_fix(reconcile_site(self.import_name).findings, r.QUEUE_MANDATE)
		self.assertIn(self.members["iban"], expected)
		self.assertEqual(summary["queued"], len(expected))
		self.assertFalse(frappe.db.exists(MANDATE, {"member": self.members["iban"]}), "queued, not run here")

	def test_a_manager_may_not_queue_mandates(self):
		frappe.set_user(make_staff_user(MANAGER_ROLE).name)
		with self.assertRaises(frappe.PermissionError):
			api.queue_missing_mandates(self.import_name)
		self.assertEqual(api.get_reconciliation(self.import_name, r.IBAN_WITHOUT_MANDATE)["counts"][r.NOT_IN_EXPORT], 0)

	def test_api_counts_and_limit(self):
		answer = api.get_reconciliation(self.import_name, limit=1)
		self.assertEqual(len(answer["findings"]), 1)
		self.assertEqual(answer["total"], sum(answer["counts"].values()))
		self.assertEqual(answer["mijnrood_import"], self.import_name)
