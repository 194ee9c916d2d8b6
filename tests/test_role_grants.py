"""verenigingen.core.role_grants"""

from verenigingen.core.role_grants import NEVER_GRANTABLE, grantable_roles, refused_roles

RULES = [("Verenigingen Manager", "Verenigingen Member"), ("Verenigingen Administrator", "Verenigingen Member"),
	("Verenigingen Administrator", "System Manager"), ("Verenigingen Administrator", "Kascommissie")]


def test_grantable_roles_follow_rules():
	"""A manager may grant only what the rules list for managers."""
	assert grantable_roles(["Verenigingen Manager"], RULES) == {"Verenigingen Member"}


def test_never_grantable_roles_are_dropped_even_from_rules():
	"""System Manager stays out even when a rule lists it."""
	assert "System Manager" not in grantable_roles(["Verenigingen Administrator"], RULES)
	assert "Administrator" in NEVER_GRANTABLE


def test_privileged_roles_are_dropped():
	"""Roles with desk-admin rights passed in are refused."""
	assert grantable_roles(["Verenigingen Administrator"], RULES, ["Kascommissie"]) == {"Verenigingen Member"}


def test_refused_roles_lists_escalations_sorted():
	"""Refusals are reported in a stable order."""
	assert refused_roles(["System Manager", "Verenigingen Member", "Accounts User"], ["Verenigingen Manager"], RULES) == [
		"Accounts User", "System Manager"]


def test_no_roles_no_grants():
	"""A requester without roles grants nothing."""
	assert refused_roles(["Verenigingen Member"], [], RULES) == ["Verenigingen Member"]
