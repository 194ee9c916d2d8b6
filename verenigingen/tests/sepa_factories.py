"""Fixtures for the SEPA tests: members with mandates, creditor settings, cleanup of committed rows."""

import email
import email.header

import frappe
from frappe.utils import add_days, today

from verenigingen.sepa import BATCH, MANDATE
from verenigingen.tests.factories import make_default_outgoing_email_account, make_member
from verenigingen.tests.import_factories import set_settings

CREDITOR = {
	"creditor_name": "Vereniging Testlanden",
	"creditor_iban": "NL91ABNA0417164300",
	"creditor_bic": "",
	"creditor_identifier": "NL69ZZZ123456780000",
	"max_collection_amount": 100,
}
# valid Dutch IBANs for test members (mod-97 correct)
IBANS = ("NL25RABO0497465075", "NL39ASNB7975432319", "NL20INGB0001234567", "NL02ABNA0123456789")


def make_members_needing_mandates(ibans=IBANS) -> list[str]:
	"""Active members with a monthly contribution and an IBAN each, no mandate yet; their names."""
	return [
		make_member(iban=iban, contribution_amount=7.5, contribution_period="Monthly", member_since="2024-01-15").name
		for iban in ibans
	]


def make_mandated_member(iban: str = IBANS[0], amount: float = 7.5, period: str = "Monthly", **values):
	"""A member with a contribution and an Active mandate made by the app's own path."""
	from verenigingen.sepa.mandates import ensure_mandate

	member = make_member(
		iban=iban,
		contribution_amount=amount,
		contribution_period=period,
		member_since=values.pop("member_since", "2024-01-15"),
		**values,
	)
	ensure_mandate(member.name)
	return member


def collection_date(days: int = 20):
	"""A collection date far enough ahead for the bank's lead time and 14 days' notice sent today."""
	return add_days(today(), days)


def notify(batch_name: str) -> dict:
	"""Run the pre-notification job body inline (the queueing is tested apart); the mails stay queued."""
	from verenigingen.sepa.prenotification import send_notifications

	make_default_outgoing_email_account()
	return send_notifications(batch_name)


def queued_mails(batch_name: str) -> list[dict]:
	"""The batch's Email Queue rows: recipient, subject and the decoded text of the message."""
	rows = frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": BATCH, "reference_name": batch_name},
		fields=["name", "message", "status"],
	)
	mails = []
	for row in rows:
		message = email.message_from_string(row.message)
		parts = [p for p in message.walk() if p.get_content_type() in ("text/plain", "text/html")]
		text = "".join(p.get_payload(decode=True).decode(p.get_content_charset() or "utf-8") for p in parts)
		recipient = frappe.get_all("Email Queue Recipient", filters={"parent": row.name}, pluck="recipient")
		subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
		mails.append({"recipient": recipient[0], "subject": subject, "text": text, "status": row.status})
	return mails


def delete_sepa_data(member_names) -> None:
	"""Remove the mandates, batches and queued mails the tests committed (audit rows stay: append-only)."""
	mails = frappe.get_all("Email Queue", filters={"reference_doctype": BATCH}, pluck="name")
	if mails:
		frappe.db.delete("Email Queue Recipient", {"parent": ("in", mails)})
		frappe.db.delete("Email Queue", {"name": ("in", mails)})
	if member_names:
		frappe.db.delete(MANDATE, {"member": ("in", list(member_names))})
	for batch in frappe.get_all(BATCH, pluck="name"):
		frappe.db.delete("Direct Debit Batch Entry", {"parent": batch})
		frappe.db.delete(BATCH, {"name": batch})
	frappe.db.commit()


def undo_sepa_test(members, old_settings: dict) -> None:
	"""tearDown: roll back, remove what the test committed (members, mandates, batches, mails), restore Settings."""
	frappe.set_user("Administrator")
	frappe.db.rollback()
	names = [member.name for member in members]
	delete_sepa_data(names)
	frappe.db.delete("Member", {"name": ("in", names)})
	set_settings(**old_settings)


def forget_item_run(tracker: str) -> None:
	"""Remove a run over plain items the test made: its batches' jobs of every generation (waiting, or
	left in rq's started registry by a killed worker), its batch rows and its tracker."""
	from frappe.utils.background_jobs import get_queue
	from rq.job import Job
	from rq.registry import StartedJobRegistry

	from verenigingen.account_creation import BATCH as RUN_BATCH
	from verenigingen.account_creation import BULK_QUEUE, TRACKER
	from verenigingen.account_creation.item_runs import base_job_id
	from verenigingen.shared.queues import take_off_queue

	queue = get_queue(BULK_QUEUE)
	job_ids = [
		f"{frappe.local.site}::{base_job_id(batch.job_id)}{f'-r{generation}' if generation else ''}"
		for batch in frappe.get_all(RUN_BATCH, filters={"tracker": tracker}, fields=["job_id", "generation"])
		for generation in range((batch.generation or 0) + 1)
	]
	take_off_queue(BULK_QUEUE, job_ids)
	for job_id in job_ids:  # a killed worker's job stays in the started registry, its hash with it
		queue.connection.zrem(StartedJobRegistry(queue=queue).key, job_id)
		queue.connection.delete(Job.key_for(job_id))
	frappe.db.delete(RUN_BATCH, {"tracker": tracker})
	frappe.db.delete(TRACKER, {"name": tracker})
