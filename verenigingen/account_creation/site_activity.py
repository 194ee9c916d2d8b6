"""A bulk run in progress counts as activity of the site, so Frappe's scheduler never waits a day.

Frappe's scheduler (``frappe.utils.scheduler.schedule_jobs_based_on_activity``) runs a site's
scheduled jobs only once a day while the site is *dormant*: ``is_dormant`` reads the newest
``modified`` of the Activity Log and calls the site dormant when it is missing or older than
System Settings' ``dormant_days`` (4 by default). A new site, or one used only from the shell, has
no Activity Log at all, so ``process_retry_queues`` (retries, recovery of lost jobs) would run
once a day. A run writes an Activity Log row, linked to its tracker, when it starts and, while it
has open or retry-waiting requests, again whenever the newest row is an hour old: the site stays
active exactly as long as there is bulk work, in the record Frappe itself reads (and the
scheduler's cached verdict on the site is dropped: shared/scheduler_activity.py).
"""

import frappe
from frappe import _
from frappe.utils import now_datetime

from verenigingen.account_creation import BATCH, TRACKER
from verenigingen.core.dormancy import activity_due
from verenigingen.shared.scheduler_activity import forget_scheduler_verdict

ACTIVITY_LOG = "Activity Log"


def record_run_activity(tracker_name: str, subject: str) -> str:
	"""One Activity Log row linked to the run, by the current user.

	Activity Log has no create permission for anyone: Frappe writes it itself (logins, logouts,
	impersonation). This row is the system's own record of a run, written like the SEPA audit
	log: the controller's own hooks run, then the row is inserted.
	"""
	log = frappe.new_doc(ACTIVITY_LOG)
	log.update({"subject": subject, "reference_doctype": TRACKER, "reference_name": tracker_name,
		"user": frappe.session.user, "communication_date": now_datetime()})
	log.run_method("before_insert")
	log.run_method("validate")
	log.db_insert()
	forget_scheduler_verdict()
	return log.name


def record_run_start(tracker_name: str, members: int) -> str:
	return record_run_activity(tracker_name, _("Bulk account run {0} started for {1} members").format(tracker_name, members))


def keep_site_active() -> str | None:
	"""While bulk work is open, record activity when the newest Activity Log row is an hour old."""
	newest = frappe.db.get_value(ACTIVITY_LOG, filters={}, fieldname="modified", order_by="modified desc")
	if not activity_due(newest, now_datetime()):
		return None
	tracker_name = open_run()
	if tracker_name is None:
		return None
	return record_run_activity(tracker_name, _("Bulk account run {0} in progress").format(tracker_name))


def open_run() -> str | None:
	"""A bulk run with requests still to do or waiting for a retry, or a run over plain items (SEPA
	mandates, ERPNext) with a batch not done; None when there is none."""
	row = frappe.db.sql(
		"""select tracker from `tabAccount Creation Request` where status in ('Queued', 'Processing')
			and tracker is not null limit 1"""
	) or frappe.db.sql(
		"""select tracker from `tabAccount Creation Request` where status = 'Failed'
			and next_retry_at is not null and tracker is not null limit 1"""
	) or frappe.db.sql(
		f"""select b.tracker from `tab{BATCH}` b join `tab{TRACKER}` t on t.name = b.tracker
		where b.status = 'Queued' and t.status in ('Queued', 'Processing') limit 1"""
	)
	return row[0][0] if row else None
