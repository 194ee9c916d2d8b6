"""What a Direct Debit Batch must meet before it goes to the bank: the CORE lead time and the members' notice.

The rules themselves are pure (``core.sepa.target2``, ``core.sepa.prenotification``); this module reads
the settings and the batch and turns a failed rule into a message naming the earliest valid date.
"""

from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import formatdate, getdate, today

from verenigingen.core.sepa import prenotification as notice
from verenigingen.core.sepa import target2


def configured_notice_days() -> int:
	"""Days of notice from Settings; 0 or empty means the rulebook's 14."""
	days = frappe.get_cached_doc("Verenigingen Settings").get("prenotification_days")
	return int(days) if days else notice.DEFAULT_NOTICE_DAYS


def lead_days() -> int:
	"""TARGET2 business days the bank needs between submission and collection; 0 or empty means 1."""
	days = frappe.get_cached_doc("Verenigingen Settings").get("lead_time_business_days")
	return max(int(days or target2.DEFAULT_LEAD_DAYS), 1)


def earliest_by_lead_time(on=None):
	"""The first collection date a file handed to the bank on ``on`` (today) may ask for."""
	return target2.earliest_collection_date(getdate(on or today()), lead_days())


def check_lead_time(doc, on=None) -> None:
	"""Refuse a collection date the bank cannot meet when the file goes out on ``on`` (today)."""
	earliest = earliest_by_lead_time(on)
	if getdate(doc.collection_date) < earliest:
		frappe.throw(
			_(
				"The collection date {0} is too early: the bank needs the file at least {1} TARGET2 business "
				"day(s) before it. The earliest valid collection date is {2}."
			).format(formatdate(doc.collection_date), lead_days(), formatdate(earliest)),
			title=_("Collection date too early"),
		)


def has_agreed_notice(doc) -> bool:
	return bool(doc.get("agreed_notice_at"))


def required_days(doc) -> int:
	"""The batch's days of notice: the Settings' period, or the shorter one recorded on the batch."""
	agreed = doc.get("agreed_notice_days") if has_agreed_notice(doc) else None
	return notice.required_notice_days(configured_notice_days(), agreed)


def notice_check(doc) -> notice.NoticeCheck:
	"""Whether every entry was notified early enough for the batch's collection date."""
	notified = {row.name: getdate(row.notified_at) if row.notified_at else None for row in doc.entries}
	return notice.check_notice(getdate(doc.collection_date), notified, required_days(doc))


def notice_problem(doc, check: notice.NoticeCheck | None = None) -> str:
	"""Why the batch's notices do not suffice yet ('' when they do)."""
	check = check or notice_check(doc)
	if check.ok:
		return ""
	if check.missing:
		return _(
			"{0} of {1} members have not been notified of this collection yet. Send the pre-notifications "
			"(members without an e-mail address need one first) at least {2} days before the collection date."
		).format(len(check.missing), len(doc.entries), check.required_days)
	return _(
		"{0} members were notified less than {1} days before the collection date {2}. With the "
		"notifications as sent, the earliest allowed collection date is {3}; or record a shorter period "
		"agreed with the members."
	).format(
		len(check.late),
		check.required_days,
		formatdate(doc.collection_date),
		formatdate(check.earliest_collection_date) if check.earliest_collection_date else "?",
	)


def check_ready_for_bank(doc) -> None:
	"""Submission: the lead time from today and every member's notice, or a clear refusal."""
	check_lead_time(doc)
	problem = notice_problem(doc)
	if problem:
		frappe.throw(problem, title=_("Pre-notification missing"))


def readiness(doc) -> dict:
	"""What the form shows: notification state, the notice the batch needs and the earliest valid dates."""
	check = notice_check(doc)
	collection_date = getdate(doc.collection_date)
	lead_earliest = earliest_by_lead_time()
	problems = [p for p in (notice_problem(doc, check), _lead_problem(collection_date, lead_earliest)) if p]
	return {
		"notification_status": doc.get("notification_status") or "Not Sent",
		"entries": len(doc.entries),
		"notified": sum(1 for row in doc.entries if row.notified_at),
		"notifications_sent_at": str(doc.notifications_sent_at) if doc.get("notifications_sent_at") else None,
		"required_days": check.required_days,
		"configured_days": configured_notice_days(),
		"agreed_notice_days": doc.get("agreed_notice_days") if has_agreed_notice(doc) else None,
		"notify_by": str(notice.latest_notice_date(collection_date, check.required_days)),
		"notice_ok": check.ok,
		"earliest_by_notice": str(check.earliest_collection_date) if check.earliest_collection_date else None,
		"lead_days": lead_days(),
		"earliest_by_lead_time": str(lead_earliest),
		"lead_ok": collection_date >= lead_earliest,
		"can_submit": not problems,
		"problems": problems,
	}


def _lead_problem(collection_date, earliest) -> str:
	if collection_date >= earliest:
		return ""
	return _("Submitted today, the earliest valid collection date is {0} (TARGET2 lead time).").format(
		formatdate(earliest)
	)


def date_limits(on=None) -> dict:
	"""For a new batch: the earliest date the bank accepts, and the earliest that leaves the full notice."""
	lead_earliest = earliest_by_lead_time(on)
	days = configured_notice_days()
	with_notice = max(lead_earliest, getdate(on or today()) + timedelta(days=days))
	return {
		"earliest_by_lead_time": str(lead_earliest),
		"earliest_with_notice": str(with_notice),
		"notice_days": days,
		"lead_days": lead_days(),
	}
