"""Pre-notification, lead time and account amendments of Direct Debit Batches on a real site.

E-mails are only queued (Email Queue rows, asserted there); nothing is sent.
"""

import time

import frappe
import sepaxml
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, formatdate, getdate, today
from frappe.utils.background_jobs import generate_qname, get_job
from lxml import etree

from verenigingen.core.sepa import target2
from verenigingen.sepa import AUDIT_LOG, BATCH, MANDATE
from verenigingen.sepa.collections import fill_batch, generate_file, mark_submitted
from verenigingen.sepa.mandates import ensure_mandate
from verenigingen.sepa.prenotification import queue_prenotifications, record_agreed_notice
from verenigingen.tests.factories import make_default_outgoing_email_account, make_user
from verenigingen.tests.import_factories import set_settings
from verenigingen.tests.long_workers import WithLongWorkers
from verenigingen.tests.sepa_factories import (
	CREDITOR,
	IBANS,
	collection_date,
	make_mandated_member,
	notify,
	queued_mails,
	undo_sepa_test,
)
from verenigingen.tests.test_sepa_batches import full_ibans_in

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}
NOTICE = {"prenotification_days": 14, "lead_time_business_days": 1}


class SepaNoticeCase(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.old_settings = set_settings(**CREDITOR, **NOTICE)
		self.members = []
		frappe.db.commit()

	def tearDown(self):
		undo_sepa_test(self.members, self.old_settings)

	def member(self, iban=IBANS[0], amount=7.5, language=None):
		member = make_mandated_member(iban, amount=amount)
		if language:
			user = make_user(email=member.email)
			frappe.db.set_value("User", user.name, "language", language)
			frappe.db.set_value("Member", member.name, "user", user.name)
		self.members.append(member)
		return member

	def batch(self, on=None):
		batch = frappe.get_doc({"doctype": BATCH, "collection_date": on or collection_date()}).insert()
		fill_batch(batch.name)
		frappe.db.commit()
		batch.reload()  # the trace id and entries fill_batch stored
		return batch

	def mine(self, batch_name):
		names = {m.name for m in self.members}
		return [row for row in frappe.get_doc(BATCH, batch_name).entries if row.member in names]


class TestPrenotification(SepaNoticeCase):
	def test_each_member_gets_one_mail_in_their_language_recorded_per_entry_and_audited(self):
		"""Dutch and English texts with amount, date, mandate reference and creditor id; IBAN masked."""
		dutch, english = self.member(IBANS[0], 7.5, "nl"), self.member(IBANS[1], 12, "en")
		batch = self.batch()
		result = notify(batch.name)
		self.assertEqual(result["notification_status"], "Sent")
		mails = {mail["recipient"]: mail for mail in queued_mails(batch.name)}
		reference = frappe.db.get_value(MANDATE, {"member": dutch.name, "status": "Active"}, "mandate_reference")
		nl = mails[dutch.email]
		self.assertIn("Aankondiging incasso", nl["subject"])
		for expected in ("€ 7,50", reference, CREDITOR["creditor_identifier"], "Machtigingskenmerk"):
			self.assertIn(expected, nl["text"])
		self.assertIn(f"{getdate(batch.collection_date).day} ", nl["subject"])
		en = mails[english.email]
		self.assertIn("Direct debit notice", en["subject"])
		self.assertIn("€12.00", en["text"])
		self.assertIn("Mandate reference", en["text"])
		for mail in (nl, en):
			self.assertEqual(mail["status"], "Not Sent")  # queued, never sent by the test
			self.assertEqual(full_ibans_in(mail["text"]), [])
		self.assertTrue(all(row.notified_at for row in self.mine(batch.name)))
		events = frappe.get_all(
			AUDIT_LOG,
			filters={"trace_id": batch.trace_id, "action": "Pre-notification Queued"},
			fields=["entity_name", "details"],
		)
		mine = [e for e in events if any(m.name in e.entity_name for m in self.members)]
		self.assertEqual(len(mine), 2)
		self.assertEqual(full_ibans_in(" ".join(e.details for e in mine)), [])
		self.assertIn("****", mine[0].details)

	def test_a_second_run_sends_nothing_twice(self):
		"""The job is safe to repeat: entries already notified get no second mail."""
		self.member()
		batch = self.batch()
		notify(batch.name)
		before = len(queued_mails(batch.name))
		notify(batch.name)
		self.assertEqual(len(queued_mails(batch.name)), before)

	def test_the_batch_date_and_members_are_frozen_once_notified(self):
		self.member()
		batch = self.batch()
		notify(batch.name)
		doc = frappe.get_doc(BATCH, batch.name)
		doc.collection_date = add_days(doc.collection_date, 1)
		with self.assertRaises(frappe.ValidationError):
			doc.save()
		with self.assertRaisesRegex(frappe.ValidationError, "gone out"):
			fill_batch(batch.name)

	def test_queueing_puts_one_job_on_long_with_the_batch_name_only(self):
		self.member()
		batch = self.batch()
		make_default_outgoing_email_account()
		result = queue_prenotifications(batch.name)
		frappe.db.commit()
		self.assertEqual(result["notification_status"], "Queued")
		job = get_job(f"verenigingen-prenotify-{batch.name}")
		self.assertIsNotNone(job)
		self.addCleanup(job.delete)
		self.assertEqual(job.origin, generate_qname("long"))
		self.assertEqual(job.kwargs["kwargs"], {"batch_name": batch.name})
		self.assertEqual(queued_mails(batch.name), [])  # nothing until a worker runs it


class TestSubmissionRules(SepaNoticeCase):
	def test_submission_waits_for_the_notifications(self):
		"""Not notified: refused, naming the count; notified 20 days ahead: submitted."""
		self.member()
		batch = self.batch()
		generate_file(batch.name)
		with self.assertRaisesRegex(frappe.ValidationError, "not been notified"):
			mark_submitted(batch.name)
		notify(batch.name)
		self.assertEqual(mark_submitted(batch.name)["status"], "Submitted")

	def test_notice_too_short_names_the_earliest_date_unless_a_shorter_period_is_recorded(self):
		self.member()
		batch = self.batch(add_days(today(), 6))
		generate_file(batch.name)
		notify(batch.name)
		earliest = formatdate(add_days(today(), 14))
		with self.assertRaisesRegex(frappe.ValidationError, earliest):
			mark_submitted(batch.name)
		doc = frappe.get_doc(BATCH, batch.name)
		doc.agreed_notice_days = 5  # not through the audited method: refused
		with self.assertRaises(frappe.ValidationError):
			doc.save()
		with self.assertRaises(frappe.ValidationError):
			record_agreed_notice(batch.name, 5, "short")  # no real reason given
		record_agreed_notice(batch.name, 5, "Ledenvergadering 2026 stemde in met 5 dagen")
		self.assertEqual(mark_submitted(batch.name)["status"], "Submitted")
		recorded = frappe.get_all(
			AUDIT_LOG,
			filters={"trace_id": batch.trace_id, "action": "Shorter Notice Period Recorded"},
			fields=["compliance_status", "details", "user"],
		)
		self.assertEqual(len(recorded), 1)
		self.assertEqual((recorded[0].compliance_status, recorded[0].user), ("Pending Review", "Administrator"))
		self.assertIn("Ledenvergadering", recorded[0].details)

	def test_lead_time_is_checked_when_built_and_when_submitted(self):
		"""Today is never one TARGET2 business day ahead; the message names the earliest valid date."""
		self.member()
		earliest = formatdate(target2.earliest_collection_date(getdate(today())))
		too_soon = frappe.get_doc({"doctype": BATCH, "collection_date": today()}).insert()
		with self.assertRaisesRegex(frappe.ValidationError, earliest):
			fill_batch(too_soon.name)
		batch = self.batch()
		generate_file(batch.name)
		notify(batch.name)
		frappe.db.set_value(BATCH, batch.name, "collection_date", today())  # time has passed
		with self.assertRaisesRegex(frappe.ValidationError, earliest):
			mark_submitted(batch.name)


class TestAccountAmendment(SepaNoticeCase):
	def collect(self, on):
		batch = self.batch(on)
		generate_file(batch.name)
		notify(batch.name)
		mark_submitted(batch.name)
		return frappe.get_doc(BATCH, batch.name)

	def active_mandate(self, member):
		return frappe.get_doc(MANDATE, {"member": member.name, "status": "Active"})

	def test_a_new_account_at_the_same_bank_then_another_bank(self):
		"""Same bank: RCUR with OrgnlDbtrAcct (old IBAN), XSD-valid; then another bank: SMNDA and FRST."""
		member = self.member("NL25RABO0497465075")
		first = self.active_mandate(member)
		self.collect(collection_date(20))
		self.assertEqual(frappe.db.get_value(MANDATE, first.name, "sequence_type"), "RCUR")
		frappe.db.set_value("Member", member.name, "iban", "NL44RABO0123456789")
		ensure_mandate(member.name)
		second = self.active_mandate(member)
		self.assertEqual(
			(second.sequence_type, second.amendment_pending, second.original_mandate), ("RCUR", 1, first.name)
		)
		frappe.db.commit()
		batch = self.batch(collection_date(52))  # the next month: another period
		generate_file(batch.name)
		row = next(row for row in self.mine(batch.name) if row.member == member.name)
		self.assertEqual((row.amendment, row.sequence_type), ("Account", "RCUR"))
		xml = frappe.get_doc("File", frappe.db.get_value(BATCH, batch.name, "xml_file")).get_content()
		root = etree.fromstring(xml if isinstance(xml, bytes) else xml.encode())
		xsd = etree.XMLSchema(etree.parse(f"{sepaxml.__path__[0]}/schemas/pain.008.001.02.xsd"))
		self.assertTrue(xsd.validate(root), xsd.error_log)
		tx = next(
			t for t in root.iterfind(".//p:DrctDbtTxInf", NS)
			if t.findtext("p:PmtId/p:EndToEndId", namespaces=NS) == row.end_to_end_id
		)
		details = "p:DrctDbtTx/p:MndtRltdInf/p:AmdmntInfDtls/"
		self.assertEqual(tx.findtext(details + "p:OrgnlMndtId", namespaces=NS), first.mandate_reference)
		self.assertEqual(tx.findtext(details + "p:OrgnlDbtrAcct/p:Id/p:IBAN", namespaces=NS), "NL25RABO0497465075")
		notify(batch.name)
		mark_submitted(batch.name)
		self.assertEqual(frappe.db.get_value(MANDATE, second.name, "amendment_pending"), 0)
		frappe.db.set_value("Member", member.name, "iban", IBANS[2])  # ING: another bank
		ensure_mandate(member.name)
		third = self.active_mandate(member)
		self.assertEqual(
			(third.sequence_type, third.amendment_pending, third.original_mandate), ("FRST", 1, second.name)
		)

	def test_a_mandate_never_collected_needs_no_amendment(self):
		member = self.member("NL25RABO0497465075")
		frappe.db.set_value("Member", member.name, "iban", "NL44RABO0123456789")
		ensure_mandate(member.name)
		mandate = self.active_mandate(member)
		self.assertEqual((mandate.sequence_type, mandate.amendment_pending, mandate.original_mandate), ("FRST", 0, None))


class TestPrenotificationOnWorker(WithLongWorkers, SepaNoticeCase):
	def test_a_long_worker_sends_the_batch_and_the_form_status_follows(self):
		from verenigingen.utils.sepa_batches import get_notification_status, send_prenotifications

		members = [self.member(IBANS[n % len(IBANS)], 5 + n) for n in range(3)]
		batch = self.batch()
		make_default_outgoing_email_account()
		frappe.db.commit()
		send_prenotifications(batch.name)
		frappe.db.commit()
		status = self.wait_for_notifications(batch.name)
		self.assertEqual(status, "Sent")
		recipients = {mail["recipient"] for mail in queued_mails(batch.name)}
		self.assertTrue({m.email for m in members} <= recipients)
		state = get_notification_status(batch.name)
		self.assertEqual(state["notified"], state["entries"])
		self.assertTrue(state["notice_ok"])
		self.assertTrue(state["can_submit"], state["problems"])

	def wait_for_notifications(self, batch_name, timeout=120):
		"""Poll the committed batch until the worker has finished its notifications."""
		deadline = time.monotonic() + timeout
		while time.monotonic() < deadline:
			frappe.db.rollback()  # see the worker's commits
			status = frappe.db.get_value(BATCH, batch_name, "notification_status")
			if status in ("Sent", "Incomplete"):
				return status
			time.sleep(0.3)
		raise AssertionError(f"notifications of {batch_name} not done in {timeout}s: {status}")
