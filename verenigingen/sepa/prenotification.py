"""Pre-notification e-mails of a Direct Debit Batch: queued through Frappe's Email Queue in a `long` job.

Each chunk of members is one transaction: their Email Queue rows, their entries' ``notified_at`` and
their audit events commit together, so a failure leaves no mail without its record. A repeated job
skips the entries already notified.
"""

import frappe
from frappe import _
from frappe.utils import create_batch, getdate, now_datetime

from verenigingen.core.sepa import prenotification as notice
from verenigingen.core.sepa.collection import to_cents
from verenigingen.core.sepa.compliance import COMPLIANT, PENDING_REVIEW
from verenigingen.sepa import BANK_SUBMISSION, BATCH, BATCH_ENTRY, BATCH_GENERATION, MANDATE
from verenigingen.sepa.batch_status import (
	DRAFT,
	GENERATED,
	INCOMPLETE,
	NOTICE_RECORDER,
	QUEUED,
	SENT,
	require_status,
)
from verenigingen.sepa.collections import record_batch_event, record_entry_event
from verenigingen.sepa.creditor import creditor_from_settings
from verenigingen.sepa.submission_rules import configured_notice_days

JOB = "verenigingen.utils.sepa_batches.send_batch_prenotifications"
JOB_TIMEOUT_SECONDS = 3600
CHUNK = 200
PROGRESS_EVENT = "sepa_prenotification_progress"
MIN_REASON_LENGTH = 10


def queue_prenotifications(batch_name: str) -> dict:
	"""Enqueue the e-mails of the members not notified yet (payload: the batch name only)."""
	doc = _writable_batch(batch_name)
	if not doc.entries:
		frappe.throw(_("Direct Debit Batch {0} has no entries").format(doc.name))
	if not frappe.db.exists("Email Account", {"enable_outgoing": 1, "default_outgoing": 1}):
		frappe.throw(_("Set up a default outgoing Email Account first: the pre-notifications go by e-mail"))
	creditor_from_settings()  # the e-mail names the creditor id: stop now when it is missing
	frappe.db.set_value(BATCH, doc.name, "notification_status", QUEUED)
	frappe.enqueue(
		JOB,
		queue="long",
		timeout=JOB_TIMEOUT_SECONDS,
		job_id=f"verenigingen-prenotify-{doc.name}",
		deduplicate=True,
		enqueue_after_commit=True,
		batch_name=doc.name,
	)
	pending = sum(1 for row in doc.entries if not row.notified_at)
	return {"batch": doc.name, "notification_status": QUEUED, "pending": pending}


def _writable_batch(batch_name: str):
	doc = frappe.get_doc(BATCH, batch_name)
	doc.check_permission("write")
	require_status(doc, DRAFT, GENERATED)
	return doc


def send_notifications(batch_name: str) -> dict:
	"""Job body: queue one e-mail per entry not yet notified, chunk by chunk, with progress."""
	doc = _writable_batch(batch_name)
	pending = [row for row in doc.entries if not row.notified_at]
	recipients = _recipients([row.member for row in pending])
	references = dict(
		frappe.get_all(
			MANDATE,
			filters={"name": ("in", [row.mandate for row in pending])},
			fields=["name", "mandate_reference"],
			as_list=True,
			limit_page_length=0,
		)
	)
	templates, creditor = _templates(), _creditor_for_mail()
	site_language = frappe.db.get_default("lang") or "en"
	notified, skipped = 0, []
	for chunk in create_batch(pending, CHUNK):
		done = []
		for row in chunk:
			person = recipients.get(row.member) or {}
			language = notice.template_language(person.get("language") or site_language)
			context = _context(doc, row, references.get(row.mandate, row.mandate), creditor, language)
			queued = person.get("email") and _queue_mail(doc, person["email"], templates[language], context)
			if not queued:
				skipped.append(row.member)
				continue
			done.append(row.name)
			_audit_notice(doc, row, queued, language)
		_mark_notified(done)
		notified += len(done)
		count = _notified_count(doc.name)
		frappe.db.set_value(BATCH, doc.name, "notified_count", count, update_modified=False)
		# Commit: this chunk's mails, their records and audit rows stand together; the next chunk may fail.
		frappe.db.commit()
		_publish(doc.name, notified, len(pending))
	return _finish(doc, notified, skipped)


def _recipients(members: list[str]) -> dict[str, dict]:
	"""``{member: {email, language}}``: the member's e-mail, the language of their login if any."""
	rows = frappe.db.sql(
		"""select m.name, m.email, u.language from `tabMember` m left join `tabUser` u on u.name = m.user
		where m.name in %(members)s""",
		{"members": members or [""]},
		as_dict=True,
	)
	return {row.name: row for row in rows}


def _templates() -> dict:
	"""Compiled subject and body per language: the Settings' text, or the built-in one when empty."""
	from frappe.utils.jinja import get_jenv

	settings = frappe.get_cached_doc("Verenigingen Settings")
	compiled = {}
	for language in notice.LANGUAGES:
		subject = settings.get(f"prenotification_subject_{language}") or notice.DEFAULT_SUBJECTS[language]
		body = settings.get(f"prenotification_body_{language}") or notice.DEFAULT_BODIES[language]
		compiled[language] = (get_jenv().from_string(subject), get_jenv().from_string(body))
	return compiled


def _creditor_for_mail() -> dict:
	"""What the mail names of the creditor; no IBAN, so none can reach a traceback's variables."""
	creditor = creditor_from_settings()
	return {"creditor_id": creditor.creditor_id, "creditor_name": creditor.name}


def _context(doc, row, reference: str, creditor: dict, language: str) -> dict:
	return {
		"member_name": row.member_name or row.member,
		"amount": notice.format_amount(to_cents(row.amount), language),
		"collection_date": notice.format_date(getdate(doc.collection_date), language),
		"mandate_reference": reference,
		**creditor,
		"iban_masked": row.iban_masked,
		"description": doc.description or "",
	}


def _queue_mail(doc, email: str, template, context: dict) -> str | None:
	"""One Email Queue row; None when Frappe queued nothing (the address unsubscribed from all mail)."""
	subject, body = template
	queue = frappe.sendmail(
		recipients=[email],
		subject=subject.render(context).strip(),
		message=body.render(context),
		reference_doctype=BATCH,
		reference_name=doc.name,
		delayed=True,
		now=False,
	)
	return queue.name if queue else None


def _audit_notice(doc, row, email_queue: str, language: str) -> None:
	record_entry_event(
		doc,
		row,
		BATCH_GENERATION,
		"Pre-notification Queued",
		COMPLIANT,
		collection_date=doc.collection_date,
		email_queue=email_queue,
		language=language,
	)


def _mark_notified(entry_names: list[str]) -> None:
	if entry_names:
		entry = frappe.qb.DocType(BATCH_ENTRY)
		now = now_datetime()
		frappe.qb.update(entry).set(entry.notified_at, now).where(entry.name.isin(entry_names)).run()


def _notified_count(batch_name: str) -> int:
	filters = {"parent": batch_name, "parenttype": BATCH, "notified_at": ("is", "set")}
	return frappe.db.count(BATCH_ENTRY, filters)


def _publish(batch_name: str, done: int, total: int) -> None:
	frappe.publish_realtime(
		PROGRESS_EVENT, {"batch": batch_name, "done": done, "total": total}, doctype=BATCH, docname=batch_name
	)


def _finish(doc, notified: int, skipped: list[str]) -> dict:
	"""Store the outcome (Sent, or Incomplete while members could not be e-mailed) and audit it."""
	total = frappe.db.count(BATCH_ENTRY, {"parent": doc.name, "parenttype": BATCH})
	count = _notified_count(doc.name)
	status = SENT if count == total else INCOMPLETE
	frappe.db.set_value(
		BATCH,
		doc.name,
		{"notification_status": status, "notifications_sent_at": now_datetime(), "notified_count": count},
	)
	record_batch_event(
		doc,
		BATCH_GENERATION,
		"Pre-notifications Sent",
		COMPLIANT if status == SENT else PENDING_REVIEW,
		doc.name,
		details={"queued_now": notified, "notified": count, "entries": total, "not_emailed": skipped[:50]},
	)
	# Commit: the job's outcome is what the form shows; it must not wait for another transaction.
	frappe.db.commit()
	_publish(doc.name, total if status == SENT else count, total)
	return {"batch": doc.name, "notification_status": status, "notified": count, "not_emailed": len(skipped)}


def record_agreed_notice(batch_name: str, days: int, reason: str) -> dict:
	"""Record a notice period shorter than the Settings' one, agreed with the members; audited."""
	doc = _writable_batch(batch_name)
	configured = configured_notice_days()
	if not 0 <= int(days) < configured:
		frappe.throw(
			_("The agreed period must be from 0 to {0} days, shorter than the period in Settings").format(
				configured - 1
			)
		)
	reason = (reason or "").strip()
	if len(reason) < MIN_REASON_LENGTH:
		frappe.throw(
			_(
				"Give the reason for the shorter period (at least {0} characters), e.g. where the members "
				"agreed to it"
			).format(MIN_REASON_LENGTH)
		)
	doc.update(
		{
			"agreed_notice_days": int(days),
			"agreed_notice_reason": reason,
			"agreed_notice_by": frappe.session.user,
			"agreed_notice_at": now_datetime(),
		}
	)
	doc.flags.notice_recorder = NOTICE_RECORDER
	doc.save()
	record_batch_event(
		doc,
		BANK_SUBMISSION,
		"Shorter Notice Period Recorded",
		PENDING_REVIEW,
		doc.name,
		details={
			"days": int(days),
			"configured_days": configured,
			"reason": reason,
			"collection_date": doc.collection_date,
		},
	)
	return {"batch": doc.name, "agreed_notice_days": int(days)}


def validate_template_settings(settings) -> None:
	"""Settings validate: the e-mail texts must be valid Jinja and may not reach into Python internals."""
	from frappe.utils.jinja import validate_template

	for language in notice.LANGUAGES:
		for part in ("subject", "body"):
			text = settings.get(f"prenotification_{part}_{language}") or ""
			if ".__" in text:
				frappe.throw(_("The pre-notification text may not contain '.__'"))
			validate_template(text)
	if (settings.get("prenotification_days") or 0) < 0:
		frappe.throw(_("Pre-notification days cannot be negative"))


def default_setting_values() -> dict:
	"""What install stores in empty Settings fields, so operators see and edit the real texts."""
	values = {"prenotification_days": notice.DEFAULT_NOTICE_DAYS, "lead_time_business_days": 1}
	for language in notice.LANGUAGES:
		values[f"prenotification_subject_{language}"] = notice.DEFAULT_SUBJECTS[language]
		values[f"prenotification_body_{language}"] = notice.DEFAULT_BODIES[language]
	return values

