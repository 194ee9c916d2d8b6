"""A Customer per member: created, or an existing Customer with the member's e-mail linked.

Members with a contribution amount or an Active mandate get one. Each member is handled under
its Member row lock, so two runs for the same member wait for each other and the second finds
the link in place: never a second Customer for one person.
"""

import frappe

from verenigingen.account_creation.member_contact import member_contact_scope
from verenigingen.core.contributions import CREATE, KEEP, plan_customer
from verenigingen.erpnext import CUSTOMER_RUN, MEMBER_CUSTOMER, require_erpnext
from verenigingen.erpnext.runs import queue_run
from verenigingen.erpnext.settings import accounting_settings

LOOKUP_CHUNK = 1000


def members_needing_customers(member_names: list[str]) -> list[str]:
	"""Members with a contribution or an Active mandate whose Customer is missing (set-based)."""
	needing = []
	for start in range(0, len(member_names), LOOKUP_CHUNK):
		chunk = member_names[start : start + LOOKUP_CHUNK]
		needing += frappe.db.sql_list(
			"""select m.name from `tabMember` m
			left join `tabCustomer` c on c.name = m.customer
			where m.name in %(names)s and c.name is null
				and (m.contribution_amount > 0 or exists (select 1 from `tabSEPA Mandate` sm
					where sm.member = m.name and sm.status = 'Active'))
			order by m.name""",
			{"names": chunk},
		)
	return needing


def queue_customer_run(member_names: list[str], source_import: str | None = None,
	source_import_doctype: str | None = None) -> dict:
	"""A Customer run for the members that need one; nothing queued when none do."""
	require_erpnext()
	frappe.has_permission("Customer", "create", throw=True)
	accounting_settings()  # refuse now, not per member, when the settings are incomplete
	names = members_needing_customers(list(dict.fromkeys(member_names)))
	return queue_run(CUSTOMER_RUN, names, source_import=source_import, source_import_doctype=source_import_doctype)


def customers_by_email(emails: list[str]) -> dict[str, str]:
	"""Existing Customers by lower-cased e-mail: their own e-mail or a linked Contact's."""
	emails = [e.strip() for e in emails if e and e.strip()]
	if not emails:
		return {}
	rows = frappe.db.sql(
		"""select c.email_id, c.name from `tabCustomer` c where c.email_id in %(emails)s
		union all
		select ce.email_id, dl.link_name from `tabContact Email` ce
		join `tabDynamic Link` dl on dl.parenttype = 'Contact' and dl.parent = ce.parent
			and dl.link_doctype = 'Customer'
		where ce.email_id in %(emails)s""",
		{"emails": emails},
	)
	found = {}
	for email, name in rows:
		found.setdefault(email.strip().lower(), name)
	return found


def ensure_customer(member_name: str) -> str:
	"""Keep, link or create the member's Customer; returns what was done (keep / link / create)."""
	settings = accounting_settings()
	member = frappe.db.get_value(
		"Member", member_name, ["name", "full_name", "email", MEMBER_CUSTOMER], as_dict=True, for_update=True
	)
	if not member:
		frappe.throw(frappe._("Member {0} not found").format(member_name), frappe.DoesNotExistError)
	linked = member.get(MEMBER_CUSTOMER)
	linked_exists = bool(linked and frappe.db.exists("Customer", linked))
	by_email = {} if linked_exists else customers_by_email([member.email])
	action, customer = plan_customer(linked, linked_exists, member.email, by_email)
	if action == KEEP:
		return action
	if action == CREATE:
		customer = create_customer(member, settings)
	# a link kept by the run: the Member's `modified` stays (see account_creation/pipeline.link_member)
	frappe.db.set_value("Member", member_name, MEMBER_CUSTOMER, customer, update_modified=False)
	return action


def create_customer(member, settings) -> str:
	doc = frappe.new_doc("Customer")
	doc.update(
		{
			"customer_name": member.full_name or member.name,
			"customer_type": "Individual",
			"customer_group": settings.customer_group,
			"territory": settings.territory,
			"default_currency": settings.currency,
			"email_id": member.email or None,  # ERPNext makes the primary Contact from it
		}
	)
	# the Customer's Contact, like a member account's, makes no Gravatar request
	with member_contact_scope():
		doc.insert()
	return doc.name
