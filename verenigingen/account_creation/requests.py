"""Creating Account Creation Requests: one at a time, or thousands with a handful of queries."""

import frappe
from frappe import _
from frappe.utils import now_datetime

from verenigingen.account_creation import OPEN_STATUSES, REQUEST
from verenigingen.account_creation.role_policy import assert_grantable
from verenigingen.core import run_plan

LOOKUP_CHUNK = 1000
INSERT_CHUNK = 500
REQUEST_FIELDS = (
	"name", "member", "full_name", "email", "status", "priority", "tracker", "batch_number",
	"send_welcome_email", "role_profile", "requested_by", "attempt_count", "welcome_email_sent",
	"creation", "modified", "owner", "modified_by", "docstatus", "idx",
)


def open_request_for(member_name: str) -> str | None:
	"""The member's open request (not finished, or failed but waiting for a retry)."""
	return open_requests_for([member_name]).get(member_name)


def open_requests_for(member_names: list[str]) -> dict[str, str]:
	found = {}
	for chunk in _chunks(member_names, LOOKUP_CHUNK):
		rows = frappe.db.sql(
			"""select member, name from `tabAccount Creation Request` where member in %(members)s
			and (status in %(open)s or (status = 'Failed' and next_retry_at is not null))""",
			{"members": tuple(chunk), "open": OPEN_STATUSES},
		)
		found.update({member: name for member, name in rows})
	return found


def check_members(member_names: list[str]) -> tuple[list[dict], dict[str, str]]:
	"""Split members into eligible rows and ``{member: reason}`` refusals (no get_doc per member)."""
	eligible, refused, members, open_requests = classify_members(member_names)
	errors = {name: refusal_text(code, name, members.get(name), open_requests.get(name)) for name, code in refused.items()}
	return eligible, errors


def classify_members(member_names: list[str]) -> tuple[list[dict], dict[str, str], dict, dict[str, str]]:
	"""Eligible member rows, ``{member: refusal code}`` (core.run_plan), the rows read and open requests."""
	unique_names = list(dict.fromkeys(member_names))
	members = {}
	for chunk in _chunks(unique_names, LOOKUP_CHUNK):
		for row in frappe.get_list(
			"Member", filters={"name": ("in", chunk)}, fields=["name", "full_name", "email", "user", "status"],
			limit_page_length=0,
		):
			members[row.name] = row
	open_requests = open_requests_for(list(members))
	eligible, refused = [], {}
	for name in unique_names:
		member = members.get(name) or {}
		code = run_plan.refusal(name in members, member.get("email"), member.get("user"), member.get("status"),
			open_requests.get(name))
		if code:
			refused[name] = code
		else:
			eligible.append(member)
	return eligible, refused, members, open_requests


def refusal_text(code: str, name: str, member, open_request: str | None) -> str:
	"""The refusal as the user reads it."""
	if code == run_plan.NOT_FOUND:
		return _("Member {0} not found or not permitted").format(name)
	if code == run_plan.NO_EMAIL:
		return _("Member {0} has no email address").format(name)
	if code == run_plan.HAS_USER:
		return _("Member {0} already has user {1}").format(name, member.user)
	if code == run_plan.NOT_ACTIVE:
		return _("Member {0} is {1}, not Active").format(name, _(member.status))
	return _("Member {0} already has an open request {1}").format(name, open_request)


def create_request(member_name: str, roles: list[str], role_profile: str | None, priority: str,
	send_welcome_email: bool = False):
	"""Insert one Queued request through the ORM (permissions, validation, version log)."""
	member = frappe.get_doc("Member", member_name)
	member.check_permission("read")
	existing = open_request_for(member_name)
	if existing:
		frappe.throw(_("Member {0} already has an open request {1}").format(member_name, existing),
			frappe.DuplicateEntryError)
	assert_grantable(roles, role_profile, frappe.session.user)
	request = frappe.get_doc(
		{
			"doctype": REQUEST,
			"member": member.name,
			"status": "Queued",
			"priority": priority,
			"role_profile": role_profile,
			"requested_roles": [{"role": role} for role in roles],
			"send_welcome_email": int(bool(send_welcome_email)),
			"requested_by": frappe.session.user,
		}
	)
	return request.insert()


def insert_bulk_requests(members: list[dict], batches: list[list[str]], tracker: str, roles: list[str],
	role_profile: str | None, priority: str, send_welcome_email: bool) -> dict[str, str]:
	"""Insert Queued requests in chunks of multi-row INSERTs; return ``{member: request}``.

	The caller has checked create permission on the DocType and validated every member.
	"""
	batch_of = {name: number for number, batch in enumerate(batches, 1) for name in batch}
	names = reserve_names(len(members))
	now, user = now_datetime(), frappe.session.user
	rows, role_rows, request_of = [], [], {}
	for member, name in zip(members, names):
		request_of[member.name] = name
		rows.append((name, member.name, member.full_name, member.email, "Queued", priority, tracker,
			batch_of[member.name], int(bool(send_welcome_email)), role_profile, user, 0, 0, now, now, user, user, 0, 0))
		for idx, role in enumerate(roles, 1):
			role_rows.append((frappe.generate_hash(length=10), name, REQUEST, "requested_roles", idx, role,
				now, now, user, user, 0))
	for chunk in _chunks(rows, INSERT_CHUNK):
		frappe.db.bulk_insert(REQUEST, REQUEST_FIELDS, chunk)
	role_fields = ("name", "parent", "parenttype", "parentfield", "idx", "role", "creation", "modified", "owner",
		"modified_by", "docstatus")
	for chunk in _chunks(role_rows, INSERT_CHUNK):
		frappe.db.bulk_insert("Account Creation Request Role", role_fields, chunk)
	return request_of


def reserve_names(count: int) -> list[str]:
	"""Take ``count`` consecutive names from the request series in one locked step."""
	from frappe.model.naming import getseries

	prefix = "ACR-"
	first = int(getseries(prefix, 7))  # creates the series row if needed and locks it
	if count > 1:
		frappe.db.sql("update `tabSeries` set current = current + %s where name = %s", (count - 1, prefix))
	return [f"{prefix}{number:07d}" for number in range(first, first + count)]


def _chunks(items: list, size: int):
	for start in range(0, len(items), size):
		yield items[start : start + size]
