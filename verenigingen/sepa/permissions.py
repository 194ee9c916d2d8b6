"""Row-level rules: a member sees only their own mandate (its IBAN field is permlevel 1, so masked only)."""

import frappe

from verenigingen.permissions import ADMIN_ROLES, is_staff

# who manages mandates and batches (Verenigingen Manager only reads them)
SEPA_MANAGERS = tuple(sorted(ADMIN_ROLES))


def mandate_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""List/report filter: a non-staff user only sees mandates of the Member linked to their login."""
	user = user or frappe.session.user
	if is_staff(user):
		return ""
	return "`tabSEPA Mandate`.`member` in (select `name` from `tabMember` where `user` = {0})".format(  # noqa: UP032, UP030 - escaped value, as for Member
		frappe.db.escape(user)
	)


def mandate_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	"""Document check: a non-staff user may only read a mandate of their own Member record."""
	user = user or frappe.session.user
	if is_staff(user):
		return None
	if ptype not in (None, "read", "select", "print"):
		return False
	return bool(doc.get("member")) and frappe.db.get_value("Member", doc.get("member"), "user") == user


def may_manage_sepa(user: str | None = None) -> bool:
	"""True for the roles that create mandates and batches (Administrator included)."""
	user = user or frappe.session.user
	return user == "Administrator" or bool(set(SEPA_MANAGERS).intersection(frappe.get_roles(user)))
