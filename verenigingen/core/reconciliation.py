"""Reconciliation of a Mijnrood export with the site: one finding per thing that does not agree.

Pure: the caller loads the export's rows, the Members, the Users they link to plus every User with
the member role, the members with an Active mandate and those with an open account request.

Kinds (stable English values, translated for display):
    Missing Member        an export row without a Member (not imported, refused, or ambiguous)
    Not in Export         an Active or Suspended Member that no export row refers to
    Member without User   an Active Member without a login (fix: create the account)
    User without Member   a User with the member role that no Member links to
    Email Differs         the Member's email is not its User's
    Name Differs          the Member's name is not its User's
    IBAN without Mandate  an Active Member with an IBAN and no Active mandate (fix: queue the mandate)
"""

from collections.abc import Iterable
from dataclasses import dataclass

from verenigingen.core.import_plan import StoredMembers, is_duplicate_row, match_member
from verenigingen.core.mijnrood.errors import Message
from verenigingen.core.names import clean_name_part, compose_full_name
from verenigingen.core.sepa import mandates as mandate_rules

MISSING_MEMBER = "Missing Member"
NOT_IN_EXPORT = "Not in Export"
MEMBER_WITHOUT_USER = "Member without User"
USER_WITHOUT_MEMBER = "User without Member"
EMAIL_DIFFERS = "Email Differs"
NAME_DIFFERS = "Name Differs"
IBAN_WITHOUT_MANDATE = "IBAN without Mandate"
KINDS = (
	MISSING_MEMBER,
	NOT_IN_EXPORT,
	MEMBER_WITHOUT_USER,
	USER_WITHOUT_MEMBER,
	EMAIL_DIFFERS,
	NAME_DIFFERS,
	IBAN_WITHOUT_MANDATE,
)
# the bulk actions a finding may offer
CREATE_ACCOUNT = "Create Account"
QUEUE_MANDATE = "Queue Mandate"
FIXES = (CREATE_ACCOUNT, QUEUE_MANDATE)

ACTIVE = "Active"
# a member in one of these states is expected in the export; Terminated or Deceased ones are not
CURRENT_STATUSES = frozenset({ACTIVE, "Suspended"})


@dataclass(frozen=True)
class ExportEntry:
	"""What reconciliation needs of one export row (small enough to cache for a whole file)."""

	row_number: int
	member_id: str = ""
	email: str = ""
	allows_access: bool | None = None
	problem: Message | None = None  # the parser's first reason for refusing the row


@dataclass(frozen=True)
class SiteState:
	"""The site's side: Member rows, Users by name (``member_role`` marks the member-role ones)."""

	members: list
	users: dict
	mandate_members: frozenset = frozenset()
	open_request_members: frozenset = frozenset()


@dataclass(frozen=True)
class Finding:
	"""One line of the report; ``fix`` is the bulk action that resolves it, "" when none does."""

	kind: str
	member: str | None = None
	user: str | None = None
	member_id: str = ""
	email: str = ""
	row_number: int | None = None
	detail: Message | None = None
	fix: str = ""


def export_entries(rows: Iterable) -> list[ExportEntry]:
	"""The parser's rows as entries; a repeat of an earlier row of the file is left out."""
	entries = []
	for row in rows:
		if row.errors and is_duplicate_row(row):
			continue
		record = row.member
		entries.append(
			ExportEntry(
				row.row_number,
				str(record.get("member_id") or ""),
				str(record.get("email") or "").strip().lower(),
				record.get("allows_access"),
				row.errors[0] if row.errors else None,
			)
		)
	return entries


def reconcile(entries: list[ExportEntry] | None, site: SiteState) -> list[Finding]:
	"""Every finding, in the order of KINDS; ``entries`` None: no export to compare with."""
	stored = StoredMembers.from_records(site.members)
	access = None if entries is None else {}
	findings = [] if entries is None else _export_findings(entries, stored, access)
	for member in site.members:
		findings += _member_findings(member, site, access)
	findings += _user_findings(site, stored)
	order = {kind: index for index, kind in enumerate(KINDS)}
	return sorted(findings, key=lambda f: (order[f.kind], f.member or "", f.user or "", f.row_number or 0))


def _export_findings(entries: list[ExportEntry], stored: StoredMembers, access: dict) -> list[Finding]:
	"""Rows without a Member; ``access`` collects, per Member referred to, what the export says."""
	findings = []
	for entry in entries:
		record = {"member_id": entry.member_id, "email": entry.email}
		for hit in (stored.by_member_id.get(entry.member_id), stored.by_email.get(entry.email)):
			if hit:
				access.setdefault(hit["name"], entry.allows_access)
		target, conflict = match_member(record, stored) if entry.member_id or entry.email else (None, None)
		if target is None:
			detail = conflict or entry.problem or Message("row {0} is not imported", entry.row_number)
			findings.append(
				Finding(MISSING_MEMBER, None, None, entry.member_id, entry.email, entry.row_number, detail)
			)
	return findings


def _member_findings(member: dict, site: SiteState, access: dict | None) -> list[Finding]:
	findings = []
	status = member.get("status") or ACTIVE
	if access is not None and member["name"] not in access and status in CURRENT_STATUSES:
		findings.append(_finding(NOT_IN_EXPORT, member, detail=_absence(member, status)))
	if member.get("user"):
		findings += _user_link_findings(member, site.users.get(member["user"]))
	elif status == ACTIVE and (access or {}).get(member["name"]) is not False:
		findings.append(_account_finding(member, site.open_request_members))
	if status == ACTIVE and member["name"] not in site.mandate_members and clean_name_part(member.get("iban")):
		findings.append(_mandate_finding(member))
	return findings


def _absence(member: dict, status: str) -> Message:
	if not member.get("member_id"):
		return Message("no Lidnr: this member was not imported from Mijnrood")
	return Message("Lidnr {0} is not in the export; the member is still {1}", member["member_id"], Message(status))


def _account_finding(member: dict, open_requests: frozenset) -> Finding:
	if not clean_name_part(member.get("email")):
		return _finding(MEMBER_WITHOUT_USER, member, detail=Message("no email address"))
	if member["name"] in open_requests:
		return _finding(MEMBER_WITHOUT_USER, member, detail=Message("an account request is already open"))
	return _finding(MEMBER_WITHOUT_USER, member, fix=CREATE_ACCOUNT)


def _user_link_findings(member: dict, user: dict | None) -> list[Finding]:
	if user is None:
		detail = Message("the linked User {0} does not exist", member["user"])
		return [_finding(MEMBER_WITHOUT_USER, member, detail=detail)]
	findings = []
	member_email = clean_name_part(member.get("email")).lower()
	user_email = clean_name_part(user.get("email")).lower()
	if member_email != user_email:
		detail = Message("Member: {0}; User: {1}", member_email or "-", user_email or "-")
		findings.append(_finding(EMAIL_DIFFERS, member, detail=detail))
	member_name = compose_full_name(member.get("first_name"), member.get("tussenvoegsel"), member.get("last_name"))
	user_name = compose_full_name(user.get("first_name"), user.get("middle_name"), user.get("last_name"))
	if member_name != user_name:
		detail = Message("Member: {0}; User: {1}", member_name or "-", user_name or "-")
		findings.append(_finding(NAME_DIFFERS, member, detail=detail))
	return findings


def _mandate_finding(member: dict) -> Finding:
	plan = mandate_rules.plan_mandate(member, None)
	if plan.action == mandate_rules.CREATE:
		return _finding(IBAN_WITHOUT_MANDATE, member, fix=QUEUE_MANDATE)
	return _finding(IBAN_WITHOUT_MANDATE, member, detail=Message("no mandate can be made: {0}", Message(plan.reason)))


def _user_findings(site: SiteState, stored: StoredMembers) -> list[Finding]:
	linked = {member["user"] for member in site.members if member.get("user")}
	findings = []
	for name, user in site.users.items():
		if not user.get("member_role") or name in linked:
			continue
		email = clean_name_part(user.get("email")).lower()
		namesake = stored.by_email.get(email)
		detail = None
		if namesake and not namesake.get("user"):
			detail = Message("Member {0} has the same email and no User", namesake["name"])
		elif not user.get("enabled", 1):
			detail = Message("the User is disabled")
		findings.append(Finding(USER_WITHOUT_MEMBER, None, name, "", email, None, detail))
	return findings


def _finding(kind: str, member: dict, detail: Message | None = None, fix: str = "") -> Finding:
	return Finding(
		kind,
		member["name"],
		member.get("user") or None,
		str(member.get("member_id") or ""),
		clean_name_part(member.get("email")).lower(),
		None,
		detail,
		fix,
	)


def members_to_fix(findings: Iterable[Finding], fix: str) -> list[str]:
	"""The members whose findings offer ``fix``, each once, in the findings' order."""
	if fix not in FIXES:
		raise ValueError(f"unknown fix {fix!r}; expected one of {', '.join(FIXES)}")
	return list(dict.fromkeys(f.member for f in findings if f.fix == fix and f.member))


def count_by_kind(findings: Iterable[Finding]) -> dict[str, int]:
	"""Findings per kind, every kind present (zero included), in the order of KINDS."""
	counts = dict.fromkeys(KINDS, 0)
	for finding in findings:
		counts[finding.kind] += 1
	return counts
