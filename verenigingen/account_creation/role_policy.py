"""Which roles a request may grant: Settings rules plus hard limits (no escalation)."""

import frappe
from frappe import _
from frappe.utils.caching import request_cache

from verenigingen.account_creation.errors import PermanentFailure
from verenigingen.core.role_grants import NEVER_GRANTABLE, refused_roles
from verenigingen.permissions import effective_roles


@request_cache
def desk_roles() -> set[str]:
	"""Roles that open the Desk: never given to a member account (members are Website Users)."""
	return set(frappe.get_all("Role", filters={"desk_access": 1}, pluck="name"))


@request_cache
def grant_rules() -> list[tuple[str, str]]:
	settings = frappe.get_cached_doc("Verenigingen Settings")
	return [(row.requester_role, row.grantable_role) for row in settings.role_grants]


@request_cache
def profile_roles(role_profile: str | None) -> list[str]:
	if not role_profile:
		return []
	return frappe.get_all("Has Role", filters={"parenttype": "Role Profile", "parent": role_profile}, pluck="role",
		order_by="idx asc")


def forget_cached_policy() -> None:
	"""Drop the cached rules, so each request of a long batch job reads the current ones."""
	cache = getattr(frappe.local, "request_cache", None)
	if cache:
		for cached in (desk_roles, grant_rules, profile_roles):
			cache.pop(cached.__wrapped__, None)


def assert_grantable(roles: list[str], role_profile: str | None, requester: str) -> None:
	"""Raise PermanentFailure when the requester may not grant a role (or the profile's roles)."""
	requested = set(roles) | set(profile_roles(role_profile))
	# A System Manager grants what a Verenigingen Administrator may (the rules name the app's roles).
	refused = refused_roles(requested, effective_roles(requester), grant_rules(), desk_roles())
	if refused:
		raise PermanentFailure(
			_("{0} may not grant these roles to a member account: {1}").format(requester, ", ".join(refused))
		)


def is_privileged_user(user_name: str) -> bool:
	"""A System User, or anyone holding a desk or never-grantable role."""
	if frappe.db.get_value("User", user_name, "user_type") != "Website User":
		return True
	held = set(frappe.get_all("Has Role", filters={"parenttype": "User", "parent": user_name}, pluck="role"))
	return bool(held & (NEVER_GRANTABLE | desk_roles()))
