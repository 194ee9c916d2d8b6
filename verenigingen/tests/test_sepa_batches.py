"""Direct Debit Batches on a real site: due members, pain.008 file, submission, outcomes, permissions, privacy."""

import re

import frappe
import sepaxml
from frappe.tests.utils import FrappeTestCase
from lxml import etree

from verenigingen.core.sepa.accounts import check_iban
from verenigingen.core.sepa.pain008 import read_totals
from verenigingen.permissions import MEMBER_ROLE
from verenigingen.sepa import AUDIT_LOG, BATCH, MANDATE
from verenigingen.sepa.collections import fill_batch, generate_file, mark_submitted, record_outcome
from verenigingen.tests.factories import make_user
from verenigingen.tests.import_factories import set_settings
from verenigingen.tests.sepa_factories import (
	CREDITOR,
	IBANS,
	collection_date,
	make_mandated_member,
	notify,
	undo_sepa_test,
)

IBAN_LIKE = re.compile(r"\b[A-Z]{2}\d{2}[A-Z0-9]{10,30}\b")


def full_ibans_in(text: str) -> list[str]:
	"""Valid IBANs written out in full (masked ones do not match)."""
	return [token for token in IBAN_LIKE.findall(text or "") if check_iban(token).valid]


class TestDirectDebitBatch(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.old_settings = set_settings(**CREDITOR)
		self.members = [make_mandated_member(IBANS[n % len(IBANS)], amount=7.5 + n) for n in range(4)]
		self.members.append(make_mandated_member(IBANS[0], amount=250))  # over the maximum of 100
		frappe.db.commit()
		self.collection_date = collection_date()

	def tearDown(self):
		undo_sepa_test(self.members, self.old_settings)

	def new_batch(self):
		return frappe.get_doc({"doctype": BATCH, "collection_date": self.collection_date}).insert()

	def test_batch_file_validates_and_matches_the_members_due(self):
		"""Preview totals = entries = pain.008 count and control sum; the XSD (lxml) accepts the file."""
		batch = self.new_batch()
		preview = fill_batch(batch.name)
		mine = [
			row
			for row in frappe.get_doc(BATCH, batch.name).entries
			if row.member in {m.name for m in self.members}
		]
		self.assertEqual(len(mine), 5)
		generate_file(batch.name)
		batch.reload()
		xml = frappe.get_doc("File", batch.xml_file).get_content()
		xml = xml if isinstance(xml, bytes) else xml.encode()
		totals = read_totals(xml)
		self.assertEqual(totals["header_count"], preview["count"])
		self.assertEqual(f"{totals['header_sum']:.2f}", preview["control_sum"])
		self.assertEqual((totals["count"], totals["sum"]), (totals["header_count"], totals["header_sum"]))
		xsd = etree.XMLSchema(etree.parse(f"{sepaxml.__path__[0]}/schemas/pain.008.001.02.xsd"))
		self.assertTrue(xsd.validate(etree.fromstring(xml)), xsd.error_log)
		verdicts = {row.member: row.compliance_status for row in mine}
		self.assertEqual(verdicts[self.members[-1].name], "Pending Review")
		self.assertEqual(batch.compliance_status, "Pending Review")
		flagged = frappe.get_all(
			AUDIT_LOG,
			filters={"trace_id": batch.trace_id, "action": "Entry Flagged"},
			pluck="compliance_status",
		)
		self.assertIn("Pending Review", flagged)

	def test_submission_switches_first_to_recurring_and_a_reject_is_failed_and_alerted(self):
		"""Submitted: FRST mandates become RCUR; a rejected FRST is Failed (reason code), back to FRST, counted."""
		batch = self.new_batch()
		fill_batch(batch.name)
		generate_file(batch.name)
		notify(batch.name)
		mark_submitted(batch.name)
		member = self.members[0].name
		mandate = frappe.get_all(
			MANDATE, filters={"member": member, "status": "Active"}, fields=["name", "sequence_type"]
		)[0]
		self.assertEqual(mandate.sequence_type, "RCUR")
		batch.reload()
		before = self.sepa_failures()
		result = record_outcome(batch.name, member, "Rejected", "am04")
		self.assertEqual(result["compliance_status"], "Failed")
		row = frappe.get_all(
			AUDIT_LOG,
			filters={"trace_id": batch.trace_id, "action": "Collection Rejected"},
			fields=["compliance_status", "details"],
		)[0]
		self.assertEqual(row.compliance_status, "Failed")
		self.assertIn('"reason_code": "AM04"', row.details)
		self.assertEqual(frappe.db.get_value(MANDATE, mandate.name, "sequence_type"), "FRST")
		if before is not None:
			self.assertEqual(self.sepa_failures(), before + 1)
		with self.assertRaises(frappe.ValidationError):
			record_outcome(batch.name, self.members[1].name, "Reversed", "")

	def test_bank_return_file_records_rejects_with_reason_codes(self):
		"""A pain.002 naming two of the batch's collections: both Rejected with their code, audited Failed."""
		from verenigingen.utils.sepa_batches import import_bank_return

		batch = self.new_batch()
		fill_batch(batch.name)
		generate_file(batch.name)
		notify(batch.name)
		mark_submitted(batch.name)
		batch.reload()
		mine = [row for row in batch.entries if row.member in {m.name for m in self.members}][:2]
		transactions = "".join(
			f"<TxInfAndSts><OrgnlEndToEndId>{row.end_to_end_id}</OrgnlEndToEndId><TxSts>RJCT</TxSts>"
			f"<StsRsnInf><Rsn><Cd>{code}</Cd></Rsn></StsRsnInf></TxInfAndSts>"
			for row, code in zip(mine, ("AC04", "MD07"))
		)
		content = (
			'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>'
			f"<OrgnlPmtInfAndSts>{transactions}<TxInfAndSts><OrgnlEndToEndId>NOT-OURS</OrgnlEndToEndId>"
			"<TxSts>RJCT</TxSts></TxInfAndSts></OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>"
		)
		file = frappe.get_doc(
			{"doctype": "File", "file_name": "pain002.xml", "content": content, "is_private": 1}
		).insert()
		result = import_bank_return(batch.name, file.file_url)
		self.assertEqual((result["recorded"], result["unknown_end_to_end_ids"]), (2, ["NOT-OURS"]))
		batch.reload()
		outcomes = {
			row.member: (row.status, row.reason_code) for row in batch.entries if row.status != "Pending"
		}
		self.assertEqual(
			outcomes, {mine[0].member: ("Rejected", "AC04"), mine[1].member: ("Rejected", "MD07")}
		)
		failed = frappe.get_all(
			AUDIT_LOG,
			filters={"trace_id": batch.trace_id, "action": "Collection Rejected"},
			pluck="compliance_status",
		)
		self.assertEqual(failed, ["Failed", "Failed"])

	def test_settings_refuse_an_invalid_creditor_identifier_or_iban(self):
		"""stdnum.eu.at_02 checks the creditor id on save; the IBAN is checked too; valid ones are compacted."""
		settings = frappe.get_single("Verenigingen Settings")
		for field, value in (
			("creditor_identifier", "NL98ZZZ999999999999"),
			("creditor_iban", "NL91ABNA0417164301"),
		):
			with self.subTest(field), self.assertRaises(frappe.ValidationError):
				settings.reload()
				settings.set(field, value)
				settings.save()
		settings.reload()
		settings.creditor_identifier = "nl69 zzz 123456780000"
		settings.save()
		self.assertEqual(settings.creditor_identifier, "NL69ZZZ123456780000")

	def sepa_failures(self) -> int | None:
		try:
			from verenigingen.utils.alert_manager import AlertManager
		except ImportError:  # the monitoring module is not installed: nothing to count with
			return None
		return AlertManager().check_sepa_failures()["count"]

	def test_member_sees_only_own_mandate_with_iban_hidden(self):
		"""A Verenigingen Member lists only their own mandate; the IBAN field (permlevel 1) is not readable."""
		user = make_user(roles=(MEMBER_ROLE,))
		frappe.db.set_value("Member", self.members[0].name, "user", user.name)
		frappe.set_user(user.name)
		rows = frappe.get_list(MANDATE, fields=["name", "member", "iban_masked"])
		self.assertEqual([r.member for r in rows], [self.members[0].name])
		self.assertTrue(rows[0].iban_masked.endswith(IBANS[0][-4:]) and "*" in rows[0].iban_masked)
		doc = frappe.get_doc(MANDATE, rows[0].name)
		doc.apply_fieldlevel_read_permissions()
		self.assertFalse(doc.get("iban"))
		other = frappe.get_all(MANDATE, filters={"member": self.members[1].name}, pluck="name")[0]
		self.assertFalse(frappe.has_permission(MANDATE, "read", other))
		self.assertFalse(frappe.has_permission(BATCH, "read"))
		self.assertFalse(frappe.has_permission(AUDIT_LOG, "read"))
