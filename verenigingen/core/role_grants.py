"""Which roles a requester may grant to a new member account (no privilege escalation)."""

from collections.abc import Iterable

# Never grantable through the member account path, whoever asks.
NEVER_GRANTABLE = frozenset({"Administrator", "System Manager", "All", "Guest", "Desk User"})


def grantable_roles(
	requester_roles: Iterable[str],
	rules: Iterable[tuple[str, str]],
	privileged_roles: Iterable[str] = (),
) -> set[str]:
	"""Roles the requester may grant, from ``(requester_role, grantable_role)`` rules."""
	held = set(requester_roles)
	forbidden = NEVER_GRANTABLE | set(privileged_roles)
	return {granted for requester, granted in rules if requester in held and granted not in forbidden}


def refused_roles(
	requested: Iterable[str],
	requester_roles: Iterable[str],
	rules: Iterable[tuple[str, str]],
	privileged_roles: Iterable[str] = (),
) -> list[str]:
	"""The requested roles the requester may not grant, sorted for a stable message."""
	allowed = grantable_roles(requester_roles, rules, privileged_roles)
	return sorted(set(requested) - allowed)
