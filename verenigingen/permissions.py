"""Who may do what: the app's role sets and guards that really check.

``frappe.only_for`` returns early while tests run, so guards here use ``frappe.get_roles()``.
"""

import frappe
from frappe import _

ADMINISTRATOR_ROLE = "Verenigingen Administrator"
MANAGER_ROLE = "Verenigingen Manager"
MEMBER_ROLE = "Verenigingen Member"
# Outside monitoring (Prometheus): reads metrics through an API key, no Desk.
MONITORING_ROLE = "Verenigingen Monitoring"
MEMBER_ROLE_PROFILE = "Verenigingen Member"

SYSTEM_MANAGER_ROLE = "System Manager"

APP_ROLES = (ADMINISTRATOR_ROLE, MANAGER_ROLE, MEMBER_ROLE)
# Roles that may do everything the app offers: a System Manager is the site's own administrator
# and expects to, so every check for Verenigingen Administrator goes through this set.
ADMIN_ROLES = frozenset({SYSTEM_MANAGER_ROLE, ADMINISTRATOR_ROLE})
# Roles that see and manage every member.
STAFF_ROLES = ADMIN_ROLES | {MANAGER_ROLE}
# Roles that may steer a bulk run (cancel it, retry its failures, stop its automatic retries): the
# same roles that may start one, so whoever started a run by mistake can stop it. Bench-wide
# recovery (clear_stuck_jobs) and alert handling stay with ADMIN_ROLES.
RUN_CONTROL_ROLES = STAFF_ROLES


def is_staff(user: str | None = None) -> bool:
	"""True when the user may see all members (Administrator included)."""
	user = user or frappe.session.user
	return user == "Administrator" or bool(STAFF_ROLES.intersection(frappe.get_roles(user)))


def require_roles(*roles: str) -> None:
	"""Raise PermissionError unless the session user holds one of ``roles``."""
	user = frappe.session.user
	if user == "Administrator" or set(roles).intersection(frappe.get_roles(user)):
		return
	frappe.throw(
		_("You need one of these roles: {0}").format(", ".join(_(r) for r in roles)),
		frappe.PermissionError,
	)


def require_staff() -> None:
	"""Raise PermissionError unless the session user manages members."""
	require_roles(*sorted(STAFF_ROLES))


def require_admin() -> None:
	"""Raise PermissionError unless the session user is a Verenigingen Administrator or System Manager."""
	require_roles(*sorted(ADMIN_ROLES))


def may_control_runs(user: str | None = None) -> bool:
	"""True when the user may cancel and retry bulk runs (``require_run_control``)."""
	user = user or frappe.session.user
	return user == "Administrator" or bool(RUN_CONTROL_ROLES.intersection(frappe.get_roles(user)))


def require_run_control() -> None:
	"""Raise PermissionError unless the session user may cancel and retry bulk runs.

	The one guard of every endpoint that cancels or retries a run: the account API
	(``cancel_bulk_operation``, ``manual_retry_failed_requests``, ``clear_retry_queue``) and the
	Bulk Operations Monitor's buttons (``cancel_run``, ``retry_run``, ``clear_run_retries``).
	"""
	require_roles(*sorted(RUN_CONTROL_ROLES))


def effective_roles(user: str) -> set[str]:
	"""The user's roles; an admin role counts as Verenigingen Administrator (e.g. in the role grant rules)."""
	roles = set(frappe.get_roles(user))
	if user == "Administrator" or roles & ADMIN_ROLES:
		roles.add(ADMINISTRATOR_ROLE)
	return roles


def member_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""List/report filter: non-staff users only see the Member linked to themselves."""
	user = user or frappe.session.user
	if is_staff(user):
		return ""
	return "`tabMember`.`user` = {0}".format(frappe.db.escape(user))


def member_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	"""Document check: non-staff users may only touch their own Member record."""
	user = user or frappe.session.user
	if is_staff(user):
		return True
	return bool(doc.get("user")) and doc.get("user") == user
