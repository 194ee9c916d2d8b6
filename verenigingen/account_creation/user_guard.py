"""Guards on User for staff who are not System Managers.

The app lets Verenigingen Administrators and Managers create member Users (so the job
can run with their own permissions). These hooks keep that right narrow: they may only
touch Website Users and only give roles the settings let them grant.
"""

import frappe
from frappe import _

from verenigingen.account_creation import role_policy


def is_unrestricted(user: str) -> bool:
	return user == "Administrator" or "System Manager" in frappe.get_roles(user)


def user_has_permission(doc, ptype=None, user=None):
	"""Deny changes to System Users or privileged users by staff without System Manager."""
	user = user or frappe.session.user
	if ptype in (None, "read", "select", "print", "email", "report", "export", "share") or is_unrestricted(user):
		return None
	if doc.is_new() or doc.name == user:
		return None
	return False if role_policy.is_privileged_user(doc.name) else None


def validate_user_roles(doc, method=None):
	"""Refuse roles the session user may not grant (checked on every User save)."""
	session_user = frappe.session.user
	if is_unrestricted(session_user) or frappe.flags.in_install or frappe.flags.in_migrate:
		return
	before = doc.get_doc_before_save()
	previous = {row.role for row in before.roles} if before else set()
	added = sorted({row.role for row in doc.roles} - previous)
	if added:
		role_policy.assert_grantable(added, None, session_user)
	if doc.user_type != "Website User" and (not before or before.user_type != doc.user_type):
		frappe.throw(_("Only a System Manager can make {0} a System User").format(doc.name), frappe.PermissionError)
