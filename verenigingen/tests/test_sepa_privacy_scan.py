"""After the other SEPA tests (module order): no full IBAN in audit rows, Error Log, alerts or job payloads."""

import re

import frappe
from frappe.tests.utils import FrappeTestCase

from verenigingen.core.sepa.accounts import check_iban
from verenigingen.sepa import AUDIT_LOG
from verenigingen.tests.sepa_factories import IBANS, delete_sepa_data, make_mandated_member

IBAN_LIKE = re.compile(r"\b[A-Z]{2}\d{2}[A-Z0-9]{10,30}\b")


def full_ibans_in(text: str) -> list[str]:
	"""Valid IBANs written out in full (masked ones do not match)."""
	return [token for token in IBAN_LIKE.findall(text or "") if check_iban(token).valid]


class TestNoFullIbanAnywhere(FrappeTestCase):
	"""Runs after the other SEPA tests (alphabetical order of the class is not relied on: it makes its own)."""

	def test_no_full_iban_in_audit_rows_error_log_alerts_or_job_payloads(self):
		member = make_mandated_member(IBANS[2])  # a fresh event, so the scan has something to look at
		self.addCleanup(lambda: (delete_sepa_data([member.name]), frappe.db.delete("Member", member.name)))
		found = {}
		for doctype, fields in (
			(AUDIT_LOG, ["entity_name", "details", "action"]),
			("Error Log", ["method", "error"]),
			("Verenigingen Alert", None),
		):
			if not frappe.db.table_exists(doctype):
				continue
			fields = fields or [
				df.fieldname
				for df in frappe.get_meta(doctype).fields
				if df.fieldtype in ("Data", "Text", "Small Text", "Long Text", "Code", "JSON", "Text Editor")
			]
			for row in frappe.get_all(doctype, fields=fields, limit_page_length=0):
				hits = full_ibans_in(" ".join(str(v or "") for v in row.values()))
				if hits:
					found.setdefault(doctype, []).extend(hits)
		found.update(self.job_payload_ibans())
		self.assertEqual(found, {})
		self.assertTrue(frappe.db.count(AUDIT_LOG, {"sensitive_data": 1}))

	def job_payload_ibans(self) -> dict:
		"""Every job the site's queues still hold (queued, started, finished, failed): kwargs scanned."""
		from frappe.utils.background_jobs import get_queues
		from rq.job import Job
		from rq.registry import FailedJobRegistry, FinishedJobRegistry, StartedJobRegistry

		hits = []
		for queue in get_queues():
			ids = set(queue.job_ids)
			for registry in (FinishedJobRegistry, FailedJobRegistry, StartedJobRegistry):
				ids |= set(registry(queue=queue).get_job_ids())
			for job in Job.fetch_many(list(ids), connection=queue.connection):
				if job:
					hits += full_ibans_in(repr(job.kwargs))
		return {"jobs": hits} if hits else {}
