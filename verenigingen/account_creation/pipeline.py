"""The per-request pipeline: claim, validate, user, roles, member link, complete.

After the claim (its own commit) every stage runs in one transaction that commits once,
so a crash anywhere leaves either nothing or the finished account; each stage also
checks what already exists, so running a request again never duplicates a User.
"""

import random

import frappe
from frappe import _
from frappe.utils import now_datetime

from verenigingen.account_creation import REQUEST, member_user_rows, role_policy
from verenigingen.account_creation.errors import ClaimLost, PermanentFailure, WorkerRace
from verenigingen.account_creation.jobs import current_claim
from verenigingen.account_creation.user_factory import new_member_user, without_creation_throttle
from verenigingen.core.failure_classification import PERMANENT, TRANSIENT, classify_failure, short_reason
from verenigingen.core.retry_policy import next_retry_at, parse_retry_schedule

CLAIMABLE = ("Requested", "Queued")
# Concurrent workers can collide in ways that a fresh transaction resolves at once:
# Frappe gives a new User the username of its first name when free, so two workers creating
# "Jan" both take "jan" and one insert fails on the unique key; two namesakes' Contacts get
# the same name (user_factory); and concurrent inserts into the same indexes (Has Role,
# DocShare, Contact) now and then deadlock. Run it again.
RACE_ATTEMPTS = 3
ACTIVE_MEMBER_STATUSES = ("Active",)


class AccountCreationManager:
	"""Process one Account Creation Request from claim to completed (or classified failure)."""

	def __init__(self, request_name: str):
		self.request_name = request_name
		self.request = None
		self.stage = ""
		self.claim_token = None

	def process(self) -> str:
		"""Run the pipeline; return the request's final status, or "Skipped" if not claimable."""
		if not self.claim():
			return "Skipped"
		return self.process_claimed()

	def process_claimed(self) -> str:
		"""Run the stages of a request this process has claimed; return its final status."""
		for attempt in range(1, RACE_ATTEMPTS + 1):
			try:
				self.run_stages()
				# Commit the whole account at once: the User, its Contact, the member link, the status.
				frappe.db.commit()
				return "Completed"
			except ClaimLost:
				frappe.db.rollback()
				return "Skipped"
			except Exception as exc:
				frappe.db.rollback()
				if attempt < RACE_ATTEMPTS and is_worker_race(exc):
					continue
				self.record_failure(exc)
				return "Failed"

	def run_stages(self) -> None:
		role_policy.forget_cached_policy()
		self.request = frappe.get_doc(REQUEST, self.request_name)
		member = self.validate()
		with without_creation_throttle():
			user = self.ensure_user(member)
		self.ensure_roles(user)
		self.link_member(member, user)
		self.complete(user)

	def claim(self) -> bool:
		"""Move Queued -> Processing in one conditional UPDATE; False when someone else has it."""
		# The claim names this process (host, pid, rq worker and job): recovery judges by it whether
		# the request is still being worked on, and the completion is written only under it.
		self.claim_token = current_claim().encode()
		frappe.db.sql(
			"""update `tabAccount Creation Request` set status = 'Processing', attempt_count = attempt_count + 1,
				next_retry_at = null, processed_by = %(user)s, claimed_by = %(claim)s, modified = %(now)s
			where name = %(name)s and status in %(claimable)s""",
			{"name": self.request_name, "user": frappe.session.user, "now": now_datetime(), "claimable": CLAIMABLE,
				"claim": self.claim_token},
		)
		claimed = frappe.db._cursor.rowcount == 1
		# Commit the claim so no other worker, retry or click can process it meanwhile.
		frappe.db.commit()
		return claimed

	def validate(self):
		self.stage = "Validated"
		request = self.request
		# The member's row is locked first: a request that waits for its member (staff saving it, an
		# import, another worker) waits before it has written anything, so it holds no other locks.
		member = frappe.get_doc("Member", request.member, for_update=True)
		member.check_permission("read")
		if not member.email:
			raise PermanentFailure(_("Member {0} has no email address").format(member.name))
		if member.status not in ACTIVE_MEMBER_STATUSES:
			raise PermanentFailure(_("Member {0} is {1}, not Active").format(member.name, _(member.status)))
		if member.user and member.user != (request.created_user or member.user):
			raise PermanentFailure(_("Member {0} is already linked to user {1}").format(member.name, member.user))
		role_policy.assert_grantable(self.requested_roles(), self.requested_profile(), request.requested_by)
		frappe.has_permission("User", "create", throw=True)
		return member

	def requested_roles(self) -> list[str]:
		roles = [row.role for row in self.request.requested_roles]
		if roles or self.request.role_profile:
			return roles
		return [frappe.get_cached_doc("Verenigingen Settings").default_member_role]

	def requested_profile(self) -> str | None:
		if self.request.role_profile or self.request.requested_roles:
			return self.request.role_profile
		return frappe.get_cached_doc("Verenigingen Settings").default_role_profile

	def ensure_user(self, member):
		"""Reuse this request's User, link a safe existing one, or create a new Website User."""
		self.stage = "User Ready"
		email = member.email.strip().lower()
		existing = self.request.created_user or member.user or frappe.db.exists("User", email)
		if existing:
			if role_policy.is_privileged_user(existing):
				raise PermanentFailure(
					_("User {0} already exists and is a System User or holds privileged roles; it was not linked or changed. Link it by hand if that is right.").format(existing)
				)
			user = frappe.get_doc("User", existing)
		else:
			user = self.new_user(email, member)
		return user

	def new_user(self, email: str, member):
		"""A new Website User: written as plain rows where nothing listens to them, else Frappe's insert."""
		details = (email, member.first_name, member.tussenvoegsel, member.last_name, self.requested_roles(),
			self.requested_profile())
		if member_user_rows.plain_rows_allowed():
			user = member_user_rows.insert_member_user(*details)
			if user is not None:
				return user
		return new_member_user(*details)

	def ensure_roles(self, user) -> None:
		self.stage = "Roles Assigned"
		wanted = set(self.requested_roles()) | set(role_policy.profile_roles(self.requested_profile()))
		missing = sorted(wanted - {row.role for row in user.roles})
		if missing:
			user.add_roles(*missing)

	def link_member(self, member, user) -> None:
		self.stage = "Member Linked"
		if member.user != user.name:
			member.check_permission("write")
			# Only the link changes; the request records who linked it and when. The Member's
			# `modified` stays: a run must not make staff's open form or an import's save of the same
			# member fail with "modified after you opened it".
			member.db_set("user", user.name, update_modified=False)

	def complete(self, user) -> None:
		"""Completed, only while this process still holds the claim.

		Recovery gives a request whose claimant it judges dead to another job; should the first
		still be working after all, this write finds the claim gone and its whole account
		transaction is rolled back, so the request never gets two Users or two Contacts.
		"""
		self.stage = "Done"
		frappe.db.sql(
			"""update `tabAccount Creation Request` set status = 'Completed', pipeline_stage = 'Done',
				created_user = %(user)s, processed_at = %(now)s, failure_reason = null, failure_class = null,
				modified = %(now)s, modified_by = %(by)s
			where name = %(name)s and status = 'Processing' and claimed_by = %(claim)s""",
			{"name": self.request_name, "user": user.name, "now": now_datetime(), "by": frappe.session.user,
				"claim": self.claim_token},
		)
		if frappe.db._cursor.rowcount != 1:
			raise ClaimLost(self.request_name)

	def record_failure(self, exc: Exception) -> None:
		"""Store the failure, its class and the next retry time (if any); commit."""
		failure_class = classify_exception(exc)
		values = frappe.db.get_value(REQUEST, self.request_name, ["attempt_count"], as_dict=True)
		retry_at = None
		if failure_class == TRANSIENT:
			retry_at = schedule_retry(values.attempt_count)
		reason = short_reason(str(exc) or type(exc).__name__)
		# Only under this process's claim: a request recovery gave to another job is that job's.
		frappe.db.sql(
			"""update `tabAccount Creation Request` set status = 'Failed', pipeline_stage = %(stage)s,
				failure_class = %(class)s, failure_reason = %(reason)s, next_retry_at = %(retry_at)s,
				processed_at = %(now)s, modified = %(now)s, modified_by = %(by)s
			where name = %(name)s and status = 'Processing' and claimed_by = %(claim)s""",
			{"name": self.request_name, "stage": self.stage or None, "class": failure_class, "reason": reason,
				"retry_at": retry_at, "now": now_datetime(), "by": frappe.session.user, "claim": self.claim_token},
		)
		frappe.log_error(
			title=_("Account creation failed ({0})").format(failure_class),
			reference_doctype=REQUEST,
			reference_name=self.request_name,
		)
		# Commit the failure record: the account transaction was rolled back above.
		frappe.db.commit()


def is_worker_race(exc: Exception) -> bool:
	if isinstance(exc, WorkerRace):
		return True
	if isinstance(exc, frappe.UniqueValidationError) and "username" in str(exc):
		return True
	return isinstance(exc, frappe.QueryDeadlockError) or (bool(exc.args) and exc.args[0] == 1213)


def classify_exception(exc: Exception) -> str:
	if isinstance(exc, PermanentFailure):
		return PERMANENT
	names = [cls.__name__ for cls in type(exc).__mro__]
	code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
	return classify_failure(names, code, str(exc))


def schedule_retry(attempts_made: int):
	"""When the next retry is due after ``attempts_made`` attempts, or None when used up."""
	settings = frappe.get_cached_doc("Verenigingen Settings")
	schedule = parse_retry_schedule(settings.retry_schedule_minutes)
	return next_retry_at(now_datetime(), attempts_made, schedule, settings.retry_jitter_percent or 0, random.random())
