"""Reconciliation of an export with the site: each kind of finding, its detail and its fix."""

from datetime import date

import pytest

from tests.mijnrood.builders import VALID_IBAN, admin_csv, admin_row
from verenigingen.core import reconciliation as r
from verenigingen.core.mijnrood import parse_export

TODAY = date(2026, 12, 3)


def entries(*rows):
	return r.export_entries(parse_export(admin_csv(*rows), "leden.csv", today=TODAY).rows)


def member(number, **fields):
	"""A stored Member as the import writes it from admin_row(number), with a User unless told."""
	record = {
		"name": str(number),
		"member_id": str(number),
		"email": f"anna{number}@example.nl",
		"first_name": "Anna",
		"tussenvoegsel": "van",
		"last_name": "Haan",
		"status": "Active",
		"user": f"anna{number}@example.nl",
		"iban": "",
		"contribution_amount": 25,
	}
	record.update(fields)
	return record


def user_for(record, **fields):
	return {
		"email": record["email"],
		"first_name": record["first_name"],
		"middle_name": record["tussenvoegsel"],
		"last_name": record["last_name"],
		"enabled": 1,
		"member_role": True,
		**fields,
	}


def site(*members, users=None, mandates=(), requests=()):
	if users is None:
		users = {m["user"]: user_for(m) for m in members if m.get("user")}
	return r.SiteState(list(members), users, frozenset(mandates), frozenset(requests))


def kinds(findings):
	return [(f.kind, f.member or f.user or f.row_number) for f in findings]


def test_export_and_site_in_agreement_give_no_findings():
	"""Every row has its Member, every Member its User with the same email and name."""
	assert r.reconcile(entries(admin_row(1000), admin_row(1001)), site(member(1000), member(1001))) == []


def test_row_without_member_is_missing_and_says_so():
	"""A valid row nobody imported: Missing Member with its row number and Lidnr, no fix."""
	[finding] = r.reconcile(entries(admin_row(1000), admin_row(1001)), site(member(1000)))
	assert (finding.kind, finding.member_id, finding.row_number, finding.fix) == (r.MISSING_MEMBER, "1001", 3, "")
	assert finding.detail.template == "row {0} is not imported"


def test_refused_row_carries_the_parsers_reason():
	"""A row the parser refused is missing with the parser's first reason."""
	rows = entries(admin_row(1000), admin_row(1001, email="not-an-email"))
	[finding] = r.reconcile(rows, site(member(1000)))
	assert finding.kind == r.MISSING_MEMBER and finding.detail.template != "row {0} is not imported"
	assert "not-an-email" in str(finding.detail)


def test_repeated_row_is_not_a_second_finding():
	"""A row repeating an earlier one is the same member: not missing, not counted twice."""
	assert r.reconcile(entries(admin_row(1000), admin_row(1000)), site(member(1000))) == []


def test_ambiguous_row_is_missing_with_the_conflict():
	"""Lidnr points at one member and the email at another: the import refuses it, so does this."""
	rows = entries(admin_row(1000, email="anna1001@example.nl"))
	findings = r.reconcile(rows, site(member(1000), member(1001)))
	assert (r.MISSING_MEMBER, 2) in kinds(findings)
	missing = next(f for f in findings if f.kind == r.MISSING_MEMBER)
	assert "already used by member 1001" in str(missing.detail)
	assert (r.NOT_IN_EXPORT, "1001") not in kinds(findings), "the email still refers to member 1001"


def test_member_matched_by_email_alone_is_in_the_export():
	"""A Member without a Lidnr whose email is in the export is not reported as absent."""
	assert r.reconcile(entries(admin_row(1000)), site(member(1000, member_id=""))) == []


@pytest.mark.parametrize(
	"status,reported", [("Active", True), ("Suspended", True), ("Terminated", False), ("Deceased", False)]
)
def test_member_no_longer_in_export_by_status(status, reported):
	"""Active and Suspended members missing from the export are findings; those who left are not."""
	findings = r.reconcile(entries(admin_row(1000)), site(member(1000), member(1001, status=status)))
	assert ((r.NOT_IN_EXPORT, "1001") in kinds(findings)) is reported


def test_member_without_lidnr_says_it_is_not_from_mijnrood():
	[finding] = r.reconcile([], site(member(1000, member_id="", name="MEM-1")))
	assert finding.kind == r.NOT_IN_EXPORT and "no Lidnr" in str(finding.detail)


def test_without_an_export_nothing_is_missing_or_absent():
	"""No import to compare with: only the site's own checks run."""
	findings = r.reconcile(None, site(member(1000, user=None)))
	assert kinds(findings) == [(r.MEMBER_WITHOUT_USER, "1000")]


def test_member_without_user_offers_the_account():
	[finding] = r.reconcile(entries(admin_row(1000)), site(member(1000, user=None)))
	assert (finding.kind, finding.fix, finding.detail) == (r.MEMBER_WITHOUT_USER, r.CREATE_ACCOUNT, None)


@pytest.mark.parametrize(
	"fields,requests,template",
	[
		({"email": ""}, (), "no email address"),
		({}, ("1000",), "an account request is already open"),
	],
)
def test_member_without_user_that_cannot_get_one_now_offers_no_fix(fields, requests, template):
	[finding] = r.reconcile(None, site(member(1000, user=None, **fields), requests=requests))
	assert (finding.kind, finding.fix, finding.detail.template) == (r.MEMBER_WITHOUT_USER, "", template)


@pytest.mark.parametrize("status", ["Suspended", "Terminated", "Deceased"])
def test_only_active_members_need_a_login(status):
	assert r.reconcile(None, site(member(1000, user=None, status=status))) == []


def test_export_saying_no_access_means_no_login_is_needed():
	"""export-everything's membership status that grants no access: a missing User is right."""
	entry = r.ExportEntry(2, "1000", "anna1000@example.nl", allows_access=False)
	assert r.reconcile([entry], site(member(1000, user=None))) == []
	entry = r.ExportEntry(2, "1000", "anna1000@example.nl", allows_access=True)
	assert kinds(r.reconcile([entry], site(member(1000, user=None)))) == [(r.MEMBER_WITHOUT_USER, "1000")]


def test_link_to_a_user_that_does_not_exist():
	[finding] = r.reconcile(None, site(member(1000), users={}))
	assert finding.kind == r.MEMBER_WITHOUT_USER and finding.fix == ""
	assert "does not exist" in str(finding.detail)


def test_user_with_member_role_and_no_member():
	"""An orphan member login is reported; a staff User without the role is not."""
	users = {
		"orphan@example.nl": {"email": "orphan@example.nl", "member_role": True, "enabled": 1},
		"staff@example.nl": {"email": "staff@example.nl", "member_role": False, "enabled": 1},
	}
	[finding] = r.reconcile(None, site(users=users))
	assert (finding.kind, finding.user, finding.member, finding.detail) == (
		r.USER_WITHOUT_MEMBER,
		"orphan@example.nl",
		None,
		None,
	)


def test_orphan_user_points_at_the_member_with_its_email():
	"""The account fix would link this User to that Member: the detail says so."""
	stray = member(1000, user=None)
	users = {stray["email"]: {"email": stray["email"], "member_role": True, "enabled": 1}}
	findings = r.reconcile(None, site(stray, users=users))
	orphan = next(f for f in findings if f.kind == r.USER_WITHOUT_MEMBER)
	assert "Member 1000 has the same email" in str(orphan.detail)


def test_disabled_orphan_user_says_disabled():
	users = {"old@example.nl": {"email": "old@example.nl", "member_role": True, "enabled": 0}}
	[finding] = r.reconcile(None, site(users=users))
	assert finding.detail.template == "the User is disabled"


def test_email_difference_ignores_case_and_spaces():
	record = member(1000)
	same = {record["user"]: user_for(record, email=" ANNA1000@Example.nl ")}
	assert r.reconcile(None, site(record, users=same)) == []
	other = {record["user"]: user_for(record, email="anna@elders.nl")}
	[finding] = r.reconcile(None, site(record, users=other))
	assert (finding.kind, str(finding.detail)) == (r.EMAIL_DIFFERS, "Member: anna1000@example.nl; User: anna@elders.nl")


def test_name_difference_compares_the_composed_names():
	"""The tussenvoegsel is the User's middle name; extra spaces are no difference."""
	record = member(1000)
	spaced = {record["user"]: user_for(record, first_name=" Anna ", middle_name="van  ", last_name="Haan")}
	assert r.reconcile(None, site(record, users=spaced)) == []
	other = {record["user"]: user_for(record, middle_name="", last_name="Vanhaan")}
	[finding] = r.reconcile(None, site(record, users=other))
	assert (finding.kind, str(finding.detail)) == (r.NAME_DIFFERS, "Member: Anna van Haan; User: Anna Vanhaan")


def test_iban_without_mandate_offers_the_mandate():
	record = member(1000, iban=VALID_IBAN)
	[finding] = r.reconcile(None, site(record))
	assert (finding.kind, finding.fix) == (r.IBAN_WITHOUT_MANDATE, r.QUEUE_MANDATE)
	assert r.reconcile(None, site(record, mandates=("1000",))) == []


@pytest.mark.parametrize(
	"fields,reason",
	[({"contribution_amount": 0}, "no contribution"), ({"iban": "NL00ASNB0000000000"}, "invalid IBAN")],
)
def test_iban_that_cannot_get_a_mandate_says_why_and_offers_no_fix(fields, reason):
	[finding] = r.reconcile(None, site(member(1000, **{"iban": VALID_IBAN, **fields})))
	assert finding.kind == r.IBAN_WITHOUT_MANDATE and finding.fix == ""
	assert reason in str(finding.detail)


def test_no_iban_or_not_active_needs_no_mandate():
	assert r.reconcile(None, site(member(1000), member(1001, iban=VALID_IBAN, status="Terminated"))) == []


def test_details_never_carry_the_iban():
	findings = r.reconcile(None, site(member(1000, iban=VALID_IBAN, contribution_amount=0)))
	assert findings and all(VALID_IBAN not in str(f.detail) for f in findings)


def test_findings_come_in_the_order_of_kinds():
	first, second = member(1001, user=None, iban=VALID_IBAN), member(1000)
	users = {second["user"]: user_for(second, email="other@example.nl")}
	findings = r.reconcile(entries(admin_row(1000), admin_row(1002)), site(first, second, users=users))
	assert [f.kind for f in findings] == [
		r.MISSING_MEMBER,
		r.NOT_IN_EXPORT,
		r.MEMBER_WITHOUT_USER,
		r.EMAIL_DIFFERS,
		r.IBAN_WITHOUT_MANDATE,
	]


def test_members_to_fix_takes_each_member_once_and_only_that_fix():
	findings = r.reconcile(None, site(member(1000, user=None, iban=VALID_IBAN), member(1001, user=None)))
	assert r.members_to_fix(findings, r.CREATE_ACCOUNT) == ["1000", "1001"]
	assert r.members_to_fix(findings, r.QUEUE_MANDATE) == ["1000"]
	with pytest.raises(ValueError):
		r.members_to_fix(findings, "Delete Everything")


def test_count_by_kind_names_every_kind():
	counts = r.count_by_kind(r.reconcile(None, site(member(1000, user=None))))
	assert list(counts) == list(r.KINDS) and counts[r.MEMBER_WITHOUT_USER] == 1 and sum(counts.values()) == 1


def test_fifty_thousand_members_reconcile_in_one_pass():
	"""Set-based: the work grows with the members, no lookups per pair (counted, not timed)."""
	members = [member(n, iban=VALID_IBAN) for n in range(100000, 150000)]
	rows = [r.ExportEntry(n, str(m["member_id"]), m["email"]) for n, m in enumerate(members, 2)]
	findings = r.reconcile(rows, site(*members, mandates={m["name"] for m in members}))
	assert findings == []
