"""ERPNext tier: Customers, contribution invoices, direct debit of invoices, payments and returns.

Runs only on a site with ERPNext installed (company "Vereniging Test", EUR, chart "Standard",
made by verenigingen.tests.erpnext_setup); skipped LOUDLY otherwise. The bulk runs go through
real `bulk` workers of the bench (verenigingen.tests.workers).
"""

import frappe
import sepaxml
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate, today
from lxml import etree

from verenigingen.core.contributions import due_invoices
from verenigingen.erpnext.settings import accounting_settings, ensure_item
from verenigingen.sepa import AUDIT_LOG, BATCH, MANDATE
from verenigingen.tests.erpnext_setup import (
	accounting_settings_for_tests,
	delete_accounting_data,
	ensure_test_company,
	require_erpnext_or_skip,
)
from verenigingen.tests.factories import make_member, make_user
from verenigingen.tests.import_factories import set_settings
from verenigingen.tests.sepa_factories import CREDITOR, IBANS, collection_date, delete_sepa_data, make_mandated_member, notify
from verenigingen.tests.workers import BulkWorkers, wait_for_tracker


def pain002_rejection(end_to_end_id: str, reason: str) -> str:
	"""A bank's pain.002 rejecting one collection before settlement."""
	return (
		'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt><OrgnlPmtInfAndSts>'
		f"<TxInfAndSts><OrgnlEndToEndId>{end_to_end_id}</OrgnlEndToEndId><TxSts>RJCT</TxSts>"
		f"<StsRsnInf><Rsn><Cd>{reason}</Cd></Rsn></StsRsnInf></TxInfAndSts></OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>"
	)


def camt054_return(end_to_end_id: str, reason: str) -> str:
	"""A bank's camt.054 returning one collection after settlement."""
	return (
		'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn><Ntfctn><Ntry>'
		f"<NtryDtls><TxDtls><Refs><EndToEndId>{end_to_end_id}</EndToEndId></Refs>"
		f"<RtrInf><Rsn><Cd>{reason}</Cd></Rsn></RtrInf></TxDtls></NtryDtls></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>"
	)


class ErpnextTestCase(FrappeTestCase):
	"""Without ERPNext every test is skipped (counted as run and skipped, as CI's count expects)."""

	with_workers = False  # two real `bulk` workers for the class

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.erpnext = "erpnext" in frappe.get_installed_apps()
		cls.workers = None
		if not cls.erpnext:
			return
		frappe.set_user("Administrator")
		ensure_test_company()
		cls.old_settings = set_settings(**CREDITOR, **accounting_settings_for_tests())
		ensure_item(accounting_settings().item)  # an Item Manager's part: accounting roles may not create Items
		frappe.db.commit()
		if cls.with_workers:
			cls.workers = BulkWorkers(2).start()

	@classmethod
	def tearDownClass(cls):
		if cls.workers:
			cls.workers.stop()
		if cls.erpnext:
			frappe.set_user("Administrator")
			set_settings(**cls.old_settings)
		super().tearDownClass()

	def setUp(self):
		self.member_names = []
		require_erpnext_or_skip()
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		# the members' invoices, payments, Customers, mandates and the members go (other tests fill
		# batches from every mandated member; generated members come back under the same names)
		delete_accounting_data(self.member_names)
		delete_sepa_data(self.member_names)
		if self.member_names:
			frappe.db.delete("Member", {"name": ("in", self.member_names)})
		frappe.db.commit()

	def valid_pain008(self, batch) -> bytes:
		"""The batch's file, after checking it against the pain.008.001.02 XSD."""
		xml = frappe.get_doc("File", batch.xml_file).get_content()
		xml = xml if isinstance(xml, bytes) else xml.encode()
		xsd = etree.XMLSchema(etree.parse(f"{sepaxml.__path__[0]}/schemas/pain.008.001.02.xsd"))
		self.assertTrue(xsd.validate(etree.fromstring(xml)), xsd.error_log)
		return xml

	def member(self, **values):
		doc = make_member(contribution_amount=values.pop("amount", 12.5), contribution_period="Monthly",
			member_since="2024-01-15", **values)
		self.member_names.append(doc.name)
		return doc

	def mandated(self, amount: float, iban: str):
		doc = make_mandated_member(iban, amount=amount)
		self.member_names.append(doc.name)
		return doc


class TestCustomersAndInvoices(ErpnextTestCase):
	def test_customer_is_created_once_and_an_existing_one_is_linked_by_email(self):
		from verenigingen.erpnext.customers import customers_by_email, ensure_customer

		new = self.member()
		known = self.member(email=f"Known.{frappe.generate_hash(length=6)}@example.nl")
		existing = frappe.get_doc(
			{"doctype": "Customer", "customer_name": "Bestaande Klant", "customer_group": "All Customer Groups",
				"territory": "All Territories", "email_id": known.email.lower()}
		).insert()
		self.assertEqual(ensure_customer(new.name), "create")
		self.assertEqual(ensure_customer(known.name), "link")
		self.assertEqual(frappe.db.get_value("Member", known.name, "customer"), existing.name)
		# idempotent: a second pass keeps both, and makes no other Customer for these e-mails
		self.assertEqual((ensure_customer(new.name), ensure_customer(known.name)), ("keep", "keep"))
		customer = frappe.db.get_value("Member", new.name, "customer")
		self.assertEqual(frappe.db.get_value("Customer", customer, "customer_name"), new.full_name)
		self.assertEqual(customers_by_email([new.email]), {new.email.lower(): customer})
		self.assertEqual(frappe.db.count("Customer", {"email_id": ("in", [new.email, known.email.lower()])}), 2)

	def test_one_submitted_invoice_per_member_and_period(self):
		from verenigingen.erpnext.invoices import invoice_member, plan_invoices

		member = self.member(amount=7.5)
		day = str(getdate(today()))
		self.assertEqual([item.member for item in plan_invoices([member.name], day)], [member.name])
		name = invoice_member(member.name, day)
		invoice = frappe.get_doc("Sales Invoice", name)
		self.assertEqual((invoice.docstatus, invoice.grand_total, invoice.company), (1, 7.5, "Vereniging Test"))
		self.assertEqual(invoice.verenigingen_member, member.name)
		self.assertEqual(invoice.customer, frappe.db.get_value("Member", member.name, "customer"))
		self.assertEqual(invoice.items[0].item_code, "Contributie")
		# a second run for the same period makes nothing
		self.assertIsNone(invoice_member(member.name, day))
		self.assertEqual(plan_invoices([member.name], day), [])
		self.assertEqual(frappe.db.count("Sales Invoice", {"verenigingen_member": member.name}), 1)
		# the unique key refuses a second invoice even past the checks
		dup = frappe.copy_doc(invoice)
		dup.verenigingen_contribution_key = invoice.verenigingen_contribution_key
		with self.assertRaises(frappe.UniqueValidationError):
			dup.insert()

	def test_member_form_data_and_report(self):
		from verenigingen.erpnext.invoices import invoice_member
		from verenigingen.utils.erpnext_contributions import get_member_contributions
		from verenigingen.verenigingen.report.outstanding_contributions.outstanding_contributions import execute

		member = self.member(amount=9)
		invoice_member(member.name, today())
		data = get_member_contributions(member.name)
		self.assertEqual((data["total_outstanding"], len(data["outstanding"])), (9, 1))
		self.assertTrue(data["customer"])
		columns, rows = execute({})
		mine = [row for row in rows if row.member == member.name]
		self.assertEqual([(row.invoices, row.outstanding) for row in mine], [(1, 9)])


class TestAccountingRoles(ErpnextTestCase):
	"""The allowed side of the permission matrix's rows: a treasurer holds accounting and staff roles."""

	def user(self, *roles):
		return make_user(roles=roles, user_type="System User").name

	def test_accounting_runs_need_an_accounting_role_a_staff_role_and_erpnext_rights(self):
		from verenigingen.utils.erpnext_contributions import (
			get_member_contributions,
			queue_contribution_invoices,
			queue_customers_for_members,
		)
		from verenigingen.verenigingen.report.outstanding_contributions.outstanding_contributions import execute

		member = self.member()
		manager = self.user("Verenigingen Manager")
		bookkeeper = self.user("Accounts User")  # no staff role: members are not theirs to see
		invoicer = self.user("Verenigingen Administrator", "Accounts User")
		treasurer = self.user("Verenigingen Administrator", "Accounts User", "Sales User")
		for user in (manager, bookkeeper):
			frappe.set_user(user)
			with self.assertRaises(frappe.PermissionError):
				queue_customers_for_members(frappe.as_json([member.name]))
			with self.assertRaises(frappe.PermissionError):
				get_member_contributions(member.name)
		frappe.set_user(invoicer)
		with self.assertRaises(frappe.PermissionError):  # ERPNext: Customers are made by Sales roles
			queue_customers_for_members(frappe.as_json([member.name]))
		self.assertEqual(queue_contribution_invoices(today(), "[]")["queued"], 0)
		frappe.set_user(treasurer)
		self.assertEqual(get_member_contributions(member.name)["member"], member.name)
		self.assertEqual(len(execute({})[0]), 7)
		frappe.set_user("Administrator")


class TestContributionStory(ErpnextTestCase):
	"""Members with mandates -> Customer run -> invoice run -> batch of invoices -> payments -> returns."""

	with_workers = True

	def test_story(self):
		from verenigingen.erpnext import runs
		from verenigingen.sepa.bank_returns import apply_bank_return
		from verenigingen.sepa.collections import generate_file, mark_submitted
		from verenigingen.utils.erpnext_contributions import (
			book_batch_payments,
			fill_batch_from_invoices,
			queue_contribution_invoices,
			queue_customers_for_members,
		)

		members = [self.mandated(5 + n, IBANS[n % len(IBANS)]) for n in range(5)]
		broken = self.member(amount=3)  # its Customer is disabled: the invoice fails with a reason
		frappe.db.commit()
		names = [m.name for m in members] + [broken.name]

		# a Customer per member, in a bulk run; a second run has nothing to do
		run = queue_customers_for_members(names)
		frappe.db.commit()
		self.assertEqual(run["queued"], 6)
		self.assertEqual(wait_for_tracker(run["tracker"]).status, "Completed")
		self.assertEqual(queue_customers_for_members(names)["queued"], 0)
		customers = frappe.get_all("Member", filters={"name": ("in", names)}, pluck="customer")
		self.assertEqual(len(set(customers)), 6)
		frappe.db.set_value("Customer", frappe.db.get_value("Member", broken.name, "customer"), "disabled", 1)
		frappe.db.commit()

		# invoices: one per due member; the broken member's failure has its reason on the run
		run = queue_contribution_invoices(today(), frappe.as_json(names))
		frappe.db.commit()
		tracker = wait_for_tracker(run["tracker"])
		self.assertEqual((tracker.status, tracker.successful, tracker.failed), ("Completed with Errors", 5, 1))
		self.assertIn("disabled", runs.failures_of(run["tracker"])[broken.name].lower())
		invoices = frappe.get_all("Sales Invoice", filters={"verenigingen_member": ("in", names), "docstatus": 1},
			fields=["name", "verenigingen_member", "grand_total"])
		self.assertEqual(sorted(i.verenigingen_member for i in invoices), sorted(m.name for m in members))
		rows = frappe.get_all("Member", filters={"name": ("in", names)},
			fields=["name", "contribution_amount", "contribution_period", "member_since"])
		self.assertEqual(len(due_invoices(rows, getdate(today()), set())), 6)  # the rule agrees: 6 due, 1 failed
		again = queue_contribution_invoices(today(), frappe.as_json([m.name for m in members]))
		self.assertEqual(again["queued"], 0)

		# a direct-debit batch of those invoices: each entry names its invoice; the file validates
		batch = frappe.get_doc({"doctype": BATCH, "collection_date": collection_date()}).insert()
		frappe.db.commit()
		fill_batch_from_invoices(batch.name)
		batch.reload()
		mine = {row.member: row for row in batch.entries if row.member in names}
		by_member = {i.verenigingen_member: i for i in invoices}
		self.assertEqual({m: r.sales_invoice for m, r in mine.items()}, {m: i.name for m, i in by_member.items()})
		self.assertEqual({m: r.amount for m, r in mine.items()}, {m: i.grand_total for m, i in by_member.items()})
		generate_file(batch.name)
		batch.reload()
		xml = self.valid_pain008(batch)
		for invoice in invoices:
			self.assertIn(invoice.name.encode(), xml)
		notify(batch.name)
		mark_submitted(batch.name)
		batch.reload()
		first, second, third = (mine[m.name] for m in members[:3])
		mandate_of = {m.name: frappe.db.get_value(MANDATE, {"member": m.name, "status": "Active"}) for m in members}
		self.assertEqual(frappe.db.get_value(MANDATE, mandate_of[members[0].name], "sequence_type"), "RCUR")

		# pain.002: the first member's FRST collection is rejected before settlement
		apply_bank_return(batch.name, pain002_rejection(first.end_to_end_id, "AC04"))
		self.assertEqual(frappe.db.get_value(MANDATE, mandate_of[members[0].name], "sequence_type"), "FRST")

		# collected: Payment Entries for the others, in a bulk run; a second run books nothing
		run = book_batch_payments(batch.name)
		frappe.db.commit()
		self.assertEqual(run["queued"], 4)
		self.assertEqual(wait_for_tracker(run["tracker"]).status, "Completed")
		self.assertEqual(book_batch_payments(batch.name)["queued"], 0)
		outstanding = {i.name: frappe.db.get_value("Sales Invoice", i.name, "outstanding_amount") for i in invoices}
		self.assertEqual(outstanding[first.sales_invoice], by_member[members[0].name].grand_total)
		self.assertEqual({outstanding[row.sales_invoice] for row in (second, third)}, {0})
		payment = frappe.db.get_value("Direct Debit Batch Entry", second.name, "payment_entry")
		self.assertEqual(frappe.db.get_value("Payment Entry", payment, "docstatus"), 1)

		# camt.054: the second member's collection comes back after settlement: payment cancelled,
		# invoice open again, mandate stays RCUR (a returned collection was settled)
		apply_bank_return(batch.name, camt054_return(second.end_to_end_id, "MD06"))
		self.assertEqual(frappe.db.get_value("Payment Entry", payment, "docstatus"), 2)
		self.assertEqual(frappe.db.get_value("Sales Invoice", second.sales_invoice, "outstanding_amount"),
			by_member[members[1].name].grand_total)
		self.assertEqual(frappe.db.get_value(MANDATE, mandate_of[members[1].name], "sequence_type"), "RCUR")
		self.assertEqual(frappe.db.get_value("Sales Invoice", third.sales_invoice, "outstanding_amount"), 0)

		# the returned and the rejected invoice are open again: the next batch collects them
		later = frappe.get_doc({"doctype": BATCH, "collection_date": collection_date(40)}).insert()
		fill_batch_from_invoices(later.name)
		later.reload()
		self.assertEqual(
			{row.sales_invoice for row in later.entries if row.member in names},
			{first.sales_invoice, second.sales_invoice},
		)

		# the SEPA Audit Log tells the story of the batch
		actions = frappe.get_all(AUDIT_LOG, filters={"trace_id": batch.trace_id}, pluck="action", order_by="timestamp")
		for action in ("Batch Filled", "File Generated", "Submitted to Bank", "Collection Rejected", "Payments Queued",
			"Payment Booked", "Payment Cancelled", "Collection Reversed"):
			self.assertIn(action, actions)
		self.assertEqual(actions.count("Payment Booked"), 4)
		cancelled = frappe.get_all(AUDIT_LOG, filters={"trace_id": batch.trace_id, "action": "Payment Cancelled"},
			fields=["details", "reference_name"])
		self.assertEqual(len(cancelled), 1)
		self.assertIn(second.sales_invoice, cancelled[0].details)
		self.assertEqual(cancelled[0].reference_name, batch.name)


class TestImportedMembers(ErpnextTestCase):
	"""The issue's "done when": a generated export imported with accounts and mandates ends with a
	Customer per member, one submitted invoice per due member, a pain.008 of those invoices,
	Payment Entries after collection, a return reopening its invoice, and the SEPA Audit Log
	telling the story."""

	COUNT = 24
	with_workers = True

	def setUp(self):
		from verenigingen.demo.mijnrood_export import generate_members
		from verenigingen.tests.import_factories import delete_imported_data

		super().setUp()
		self.chapters_before = set(frappe.get_all("Chapter", pluck="name"))
		self.lidnrs = [str(row["lidnr"]) for row in generate_members(self.COUNT, seed=15, defects=False)]
		delete_accounting_data(self.lidnrs)  # members are named by Lidnr: an earlier run's invoices
		delete_imported_data(self.lidnrs, self.chapters_before)

	def tearDown(self):
		from verenigingen.tests.import_factories import delete_imported_data

		frappe.db.rollback()
		self.member_names = frappe.get_all("Member", filters={"member_id": ("in", self.lidnrs)}, pluck="name")
		super().tearDown()
		frappe.db.delete(BATCH)
		delete_imported_data(self.lidnrs, self.chapters_before)

	def test_import_to_invoices_to_pain008_to_payments_and_a_return(self):
		from verenigingen.account_creation import TRACKER
		from verenigingen.demo.mijnrood_export import export_bytes
		from verenigingen.sepa.bank_returns import apply_bank_return
		from verenigingen.sepa.collections import generate_file, mark_submitted
		from verenigingen.tests.import_factories import import_now, make_import
		from verenigingen.utils.erpnext_contributions import (
			book_batch_payments,
			fill_batch_from_invoices,
			queue_contribution_invoices,
		)

		doc = import_now(make_import(*export_bytes("csv-utf8-bom", self.COUNT, seed=15, defects=False),
			create_user_accounts=1, send_welcome_emails=0))
		runs = frappe.get_all(TRACKER, filters={"source_import": doc.name}, fields=["name", "operation_type"])
		self.assertEqual(sorted(r.operation_type for r in runs), ["Account Creation", "Customer Creation", "Mandate Creation"])
		for run in runs:
			self.assertIn(wait_for_tracker(run.name).status, ("Completed",), run.operation_type)
		members = frappe.get_all("Member", filters={"member_id": ("in", self.lidnrs)},
			fields=["name", "customer", "user", "email", "contribution_amount", "contribution_period", "member_since", "status"])
		self.member_names = [m.name for m in members]
		paying = [m for m in members if (m.contribution_amount or 0) > 0]
		self.assertTrue(paying)
		self.assertTrue(all(m.customer for m in paying))
		self.assertEqual(len({m.customer for m in paying}), len(paying))  # one Customer per member
		self.assertEqual(frappe.db.count("Customer", {"email_id": ("in", [m.email for m in paying])}), len(paying))

		run = queue_contribution_invoices(today(), frappe.as_json(self.member_names))
		frappe.db.commit()
		due = due_invoices([m for m in members if m.status == "Active"], getdate(today()), set())
		self.assertGreater(len(due), 3)  # the generated members pay monthly, quarterly and yearly
		self.assertEqual(run["queued"], len(due))
		if run["tracker"]:
			self.assertEqual(wait_for_tracker(run["tracker"]).status, "Completed")
		invoiced = frappe.get_all("Sales Invoice", filters={"verenigingen_member": ("in", self.member_names),
			"docstatus": 1}, pluck="verenigingen_member")
		self.assertEqual(sorted(invoiced), sorted(d.member for d in due))

		batch = frappe.get_doc({"doctype": BATCH, "collection_date": collection_date()}).insert()
		frappe.db.commit()
		fill_batch_from_invoices(batch.name)
		batch.reload()
		mandated = set(frappe.get_all(MANDATE, filters={"member": ("in", invoiced), "status": "Active"}, pluck="member"))
		entries = [row for row in batch.entries if row.member in set(self.member_names)]
		self.assertTrue(mandated)
		self.assertEqual(sorted(row.member for row in entries), sorted(mandated))
		self.assertTrue(all(row.sales_invoice for row in entries))
		generate_file(batch.name)
		batch.reload()
		xml = self.valid_pain008(batch)
		for row in entries:
			self.assertIn(row.sales_invoice.encode(), xml)

		# collected: a Payment Entry per collected invoice, in a bulk run
		notify(batch.name)
		mark_submitted(batch.name)
		run = book_batch_payments(batch.name)
		frappe.db.commit()
		self.assertEqual(run["queued"], len(batch.entries))
		self.assertEqual(wait_for_tracker(run["tracker"]).status, "Completed")
		for row in entries:
			payment = frappe.db.get_value("Direct Debit Batch Entry", row.name, "payment_entry")
			self.assertEqual(frappe.db.get_value("Payment Entry", payment, "docstatus"), 1, row.member)
			self.assertEqual(frappe.db.get_value("Sales Invoice", row.sales_invoice, "outstanding_amount"), 0)

		# a return after settlement: that payment is cancelled and its invoice is open again
		returned = entries[0]
		payment = frappe.db.get_value("Direct Debit Batch Entry", returned.name, "payment_entry")
		apply_bank_return(batch.name, camt054_return(returned.end_to_end_id, "MD06"))
		self.assertEqual(frappe.db.get_value("Payment Entry", payment, "docstatus"), 2)
		self.assertEqual(frappe.db.get_value("Sales Invoice", returned.sales_invoice, "outstanding_amount"),
			returned.amount)
		self.assertEqual(
			{frappe.db.get_value("Sales Invoice", row.sales_invoice, "outstanding_amount") for row in entries[1:]}, {0})

		actions = frappe.get_all(AUDIT_LOG, filters={"trace_id": batch.trace_id}, pluck="action", order_by="timestamp")
		for action in ("Batch Filled", "File Generated", "Submitted to Bank", "Payments Queued", "Payment Booked",
			"Payment Cancelled", "Collection Reversed"):
			self.assertIn(action, actions)
		self.assertEqual(actions.count("Payment Booked"), len(batch.entries))
