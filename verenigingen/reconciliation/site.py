"""The site side of the reconciliation: one query per kind of record, never one per member."""

import frappe

from verenigingen.account_creation import OPEN_STATUSES
from verenigingen.core.reconciliation import SiteState
from verenigingen.core.sepa.mandates import ACTIVE
from verenigingen.permissions import MEMBER_ROLE

MEMBER_COLUMNS = (
	"name",
	"member_id",
	"email",
	"first_name",
	"tussenvoegsel",
	"last_name",
	"status",
	"user",
	"iban",
	"contribution_amount",
)


def load_site_state() -> SiteState:
	"""Everything the comparison needs; the caller has checked that the user sees every member."""
	return SiteState(read_members(), read_users(), read_mandate_members(), read_open_request_members())


def read_members() -> list[dict]:
	member = frappe.qb.DocType("Member")
	return frappe.qb.from_(member).select(*(member[column] for column in MEMBER_COLUMNS)).run(as_dict=True)


def read_users() -> dict[str, dict]:
	"""The Users Members link to and every User holding the member role, by name."""
	rows = frappe.db.sql(
		"""select u.name, u.email, u.first_name, u.middle_name, u.last_name, u.enabled,
			max(k.member_role) as member_role
		from `tabUser` u join (
			select `user` as name, 0 as member_role from `tabMember` where ifnull(`user`, '') != ''
			union all
			select parent, 1 from `tabHas Role` where parenttype = 'User' and role = %(role)s
		) k on k.name = u.name
		group by u.name, u.email, u.first_name, u.middle_name, u.last_name, u.enabled""",
		{"role": MEMBER_ROLE},
		as_dict=True,
	)
	return {row.name: {**row, "member_role": bool(row.member_role)} for row in rows}


def read_mandate_members() -> frozenset:
	rows = frappe.db.sql("select distinct member from `tabSEPA Mandate` where status = %(active)s", {"active": ACTIVE})
	return frozenset(member for (member,) in rows)


def read_open_request_members() -> frozenset:
	"""Members with a request that is open or waits for a retry (as ``requests.open_requests_for``)."""
	rows = frappe.db.sql(
		"""select distinct member from `tabAccount Creation Request`
		where status in %(open)s or (status = 'Failed' and next_retry_at is not null)""",
		{"open": OPEN_STATUSES},
	)
	return frozenset(member for (member,) in rows)
