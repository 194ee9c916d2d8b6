"""Guards on User for staff who are not System Managers.

The app lets Verenigingen Administrators and Managers create member Users (so the job
can run with their own permissions). These hooks keep that right narrow: they may only
touch Website Users, only give roles the settings let them grant, and never set what logs
someone else in (password, API key and secret, username, social logins, the login email).
"""

import frappe
from frappe import _

from verenigingen.account_creation import role_policy
from verenigingen.permissions import SYSTEM_MANAGER_ROLE

# Whoever sets one of these on someone else's User holds that account: a password, an API key
# and secret, the hashed key behind a reset link, a login name, a social login's user id.
LOGIN_FIELDS = ("new_password", "api_key", "api_secret", "reset_password_key", "username")
LOGIN_TABLE_FIELDS = {"social_logins": ("provider", "userid", "username")}


def is_unrestricted(user: str) -> bool:
	return user == "Administrator" or SYSTEM_MANAGER_ROLE in frappe.get_roles(user)


def user_has_permission(doc, ptype=None, user=None):
	"""Deny changes to System Users or privileged users by staff without System Manager."""
	user = user or frappe.session.user
	if ptype in (None, "read", "select", "print", "email", "report", "export", "share") or is_unrestricted(
		user
	):
		return None
	if doc.is_new() or doc.name == user:
		return None
	return False if role_policy.is_privileged_user(doc.name) else None


def refuse_login_changes(doc, method=None):
	"""Before validate (new_password is still set then): only the user or a System Manager sets logins."""
	session_user = frappe.session.user
	# Frappe's own flows (sign-up, social and LDAP login) save as Guest with ignore_permissions;
	# no request through the API or Desk can set that flag.
	if doc.flags.ignore_permissions or frappe.flags.in_install:
		return
	if doc.name == session_user or is_unrestricted(session_user):
		return
	changed = changed_login_fields(doc)
	if changed:
		frappe.throw(
			_("Only {0} or a System Manager can change these fields of {0}: {1}").format(
				doc.name, ", ".join(changed)
			),
			frappe.PermissionError,
		)


def changed_login_fields(doc) -> list[str]:
	"""The login fields this save would set or change (for a new User: every one given)."""
	before = doc.get_doc_before_save()
	changed = [
		fieldname
		for fieldname in LOGIN_FIELDS
		if _value_changed(doc, fieldname, doc.get(fieldname), before.get(fieldname) if before else None)
	]
	for fieldname, columns in LOGIN_TABLE_FIELDS.items():
		if _rows(doc, fieldname, columns) != (_rows(before, fieldname, columns) if before else set()):
			changed.append(fieldname)
	return changed


def _value_changed(doc, fieldname: str, value, stored) -> bool:
	if fieldname == "new_password":
		return bool(value)  # never stored: any value given sets the password
	if doc.meta.get_field(fieldname).fieldtype == "Password" and value and stored:
		return not doc.is_dummy_password(value)  # '*****' is the stored secret sent back as it was
	return (value or None) != (stored or None)


def _rows(doc, fieldname: str, columns: tuple[str, ...]) -> set[tuple]:
	return {tuple(row.get(column) for column in columns) for row in doc.get(fieldname) or []}


def refuse_rename(doc, method=None, old=None, new=None, merge=False):
	"""A User's name is their login email: renaming someone else's hands their login to the new address."""
	session_user = frappe.session.user
	if old == session_user or is_unrestricted(session_user):
		return
	frappe.throw(
		_("Only a System Manager can change the login email of {0}").format(old), frappe.PermissionError
	)


def validate_user_roles(doc, method=None):
	"""Refuse roles the session user may not grant (checked on every User save)."""
	session_user = frappe.session.user
	if doc.flags.ignore_permissions or frappe.flags.in_install or frappe.flags.in_migrate:
		return  # Frappe's own flows, e.g. sign-up adding the portal's default role as Guest
	if is_unrestricted(session_user):
		return
	before = doc.get_doc_before_save()
	previous = {row.role for row in before.roles} if before else set()
	added = sorted({row.role for row in doc.roles} - previous)
	if added:
		role_policy.assert_grantable(added, None, session_user)
	if doc.user_type != "Website User" and (not before or before.user_type != doc.user_type):
		frappe.throw(
			_("Only a System Manager can make {0} a System User").format(doc.name), frappe.PermissionError
		)
