"""Public API for member accounts (used from Desk buttons, JS, bench execute and other apps).

Every whitelisted method checks permission first and accepts JSON-string arguments.
The job entry points are not whitelisted: only workers call them.
"""

import frappe
from frappe import _

from verenigingen.account_creation import (
	REQUEST,
	TRACKER,
	batches,
	requests,
	retry,
	role_policy,
	run_control,
	tracker,
	welcome_emails,
)
from verenigingen.account_creation import plan as run_plan
from verenigingen.account_creation import site_activity
from verenigingen.account_creation.pipeline import AccountCreationManager
from verenigingen.core.batching import split_into_batches
from verenigingen.permissions import require_run_control, require_staff
from verenigingen.utils.arguments import parse_bool, parse_choice, parse_int, parse_list

__all__ = [
	"AccountCreationManager",
	"queue_account_creation_for_member",
	"queue_bulk_account_creation_for_members",
	"process_account_creation_request",
	"process_bulk_account_creation_batch",
	"get_failed_requests",
	"retry_failed_request",
	"cancel_request",
	"cancel_bulk_operation",
	"pause_bulk_operation",
	"resume_bulk_operation",
]
PRIORITIES = ("High", "Normal", "Low")


@frappe.whitelist()
def queue_account_creation_for_member(member_name: str, roles=None, role_profile: str | None = None,
	priority: str = "Normal", send_welcome_email=None) -> dict:
	"""Create a request for one member and process it at once on the short queue."""
	require_staff()
	frappe.has_permission(REQUEST, "create", throw=True)
	frappe.has_permission("Member", "read", member_name, throw=True)
	roles = parse_list(roles, _("Roles"))
	priority = parse_choice(priority, PRIORITIES, _("Priority"), "Normal")
	welcome = parse_bool(send_welcome_email)
	if welcome is None:
		welcome = bool(frappe.get_cached_doc("Verenigingen Settings").send_welcome_emails)
	if not roles and not role_profile:
		roles, role_profile = _default_roles()
	request = requests.create_request(member_name, roles, role_profile, priority, welcome)
	batches.enqueue_request(request.name, 1, priority)
	return {"request": request.name, "status": request.status, "member": member_name}


@frappe.whitelist()
def queue_bulk_account_creation_for_members(member_names, roles=None, role_profile: str | None = None,
	batch_size=None, priority: str = "Low", source_import: str | None = None, send_welcome_emails=None,
	source_import_doctype: str | None = None, dry_run=None, plan=None) -> dict:
	"""Validate members, create their requests and a tracker, and enqueue batches on `bulk`.

	With ``dry_run`` or ``plan`` (true, "1", "true") nothing is created: the answer is the plan
	(requests, refusals per reason, batches, live bulk workers, expected duration, the queue).
	"""
	require_staff()
	frappe.has_permission(REQUEST, "create", throw=True)
	frappe.has_permission(TRACKER, "read", throw=True)
	member_names = parse_list(member_names, _("Members"))
	roles = parse_list(roles, _("Roles"))
	settings = frappe.get_cached_doc("Verenigingen Settings")
	batch_size = parse_int(batch_size, _("Batch Size")) or settings.bulk_batch_size or 50
	priority = parse_choice(priority, PRIORITIES, _("Priority"), "Low")
	welcome = parse_bool(send_welcome_emails)
	welcome = bool(settings.send_welcome_emails) if welcome is None else welcome
	if not roles and not role_profile:
		roles, role_profile = _default_roles()
	role_policy.assert_grantable(roles, role_profile, frappe.session.user)
	if parse_bool(dry_run) or parse_bool(plan):
		return {"dry_run": True, **run_plan.plan_for_members(member_names, batch_size)}

	eligible, errors = requests.check_members(member_names)
	summary = {"tracker": None, "requested": len(member_names), "queued": len(eligible),
		"refused": len(errors), "batches": 0, "errors": errors}
	if not eligible:
		return summary
	groups = split_into_batches([m.name for m in eligible], batch_size)
	tracker_name = tracker.create_tracker(len(eligible), batch_size, len(groups), priority, welcome,
		source_import_doctype or ("Mijnrood CSV Import" if source_import else None), source_import)
	request_of = requests.insert_bulk_requests(eligible, groups, tracker_name, roles, role_profile, priority, welcome)
	site_activity.record_run_start(tracker_name, len(eligible))  # Frappe's scheduler: the site is active
	for number, member_group in enumerate(groups, 1):
		batches.enqueue_batch(tracker_name, number, [request_of[member] for member in member_group])
	summary.update(tracker=tracker_name, batches=len(groups))
	return summary


def _default_roles() -> tuple[list[str], str | None]:
	settings = frappe.get_cached_doc("Verenigingen Settings")
	return [settings.default_member_role], settings.default_role_profile


def process_account_creation_request(request_name: str) -> str:
	"""Job entry point for a single request (short queue)."""
	return batches.run_single(request_name)


def process_bulk_account_creation_batch(tracker_name: str, batch_number: int, request_names: list[str]) -> dict:
	"""Job entry point for one bulk batch (bulk queue)."""
	return batches.run_batch(tracker_name, request_names)


@frappe.whitelist()
def get_failed_requests(tracker_name: str | None = None, limit=None) -> list[dict]:
	"""Failed requests with their reason, class, attempts and next retry time."""
	require_staff()
	frappe.has_permission(REQUEST, "read", throw=True)
	filters = {"status": "Failed"}
	if tracker_name:
		filters["tracker"] = tracker_name
	return frappe.get_list(
		REQUEST, filters=filters, order_by="modified desc", limit_page_length=parse_int(limit, _("Limit")) or 500,
		fields=["name", "member", "full_name", "failure_class", "failure_reason", "attempt_count",
			"next_retry_at", "tracker"],
	)


@frappe.whitelist()
def retry_failed_request(request_name: str) -> dict:
	"""Put one Failed request back in the queue now (a human decided to retry it)."""
	require_staff()
	frappe.has_permission(REQUEST, "write", request_name, throw=True)
	row = frappe.db.get_value(REQUEST, request_name,
		["name", "tracker", "batch_number", "attempt_count", "priority", "status"], as_dict=True)
	if not row or not retry.requeue(request_name, only_due=False):
		frappe.throw(_("Only a Failed request can be retried"))
	retry.enqueue_retries([row])
	return {"request": request_name, "status": "Queued"}


@frappe.whitelist()
def cancel_request(request_name: str) -> dict:
	"""Cancel a request that has not started (or waits for a retry)."""
	require_staff()
	frappe.has_permission(REQUEST, "write", request_name, throw=True)
	frappe.db.sql(
		"""update `tabAccount Creation Request` set status = 'Cancelled', next_retry_at = null
		where name = %(name)s and (status in ('Requested', 'Queued') or (status = 'Failed' and next_retry_at is not null))""",
		{"name": request_name},
	)
	status = frappe.db.get_value(REQUEST, request_name, "status")
	if status != "Cancelled":
		frappe.throw(_("Request {0} is {1} and can no longer be cancelled").format(request_name, _(status)))
	tracker_name = frappe.db.get_value(REQUEST, request_name, "tracker")
	if tracker_name:
		tracker.refresh_tracker(tracker_name)
	return {"request": request_name, "status": status}


@frappe.whitelist()
def cancel_bulk_operation(tracker_name: str) -> dict:
	"""Stop a bulk run: requests not yet started become Cancelled; the one in flight finishes."""
	require_run_control()
	frappe.has_permission(TRACKER, "write", tracker_name, throw=True)
	frappe.db.set_value(TRACKER, tracker_name, "cancel_requested", 1)
	frappe.db.sql(
		"""update `tabAccount Creation Request` set status = 'Cancelled', next_retry_at = null
		where tracker = %(tracker)s and (status in ('Requested', 'Queued') or (status = 'Failed' and next_retry_at is not null))""",
		{"tracker": tracker_name},
	)
	return tracker.refresh_tracker(tracker_name)


@frappe.whitelist(methods=["POST"])
def pause_bulk_operation(tracker_name: str) -> dict:
	"""Pause a bulk account run: the member in hand finishes, no other starts until it is resumed."""
	require_run_control()
	frappe.has_permission(TRACKER, "write", tracker_name, throw=True)
	return run_control.pause_run(tracker_name)


@frappe.whitelist(methods=["POST"])
def resume_bulk_operation(tracker_name: str) -> dict:
	"""Go on with a paused bulk account run where it stopped."""
	require_run_control()
	frappe.has_permission(TRACKER, "write", tracker_name, throw=True)
	return run_control.resume_run(tracker_name)


def send_welcome_email_wave() -> int:
	"""Scheduler entry: one wave of welcome emails."""
	return welcome_emails.send_welcome_email_wave()
