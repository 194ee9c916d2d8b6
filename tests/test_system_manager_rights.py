"""A System Manager may do on every DocType of the app at least what a Verenigingen Administrator may."""

import json
from pathlib import Path

import pytest

DOCTYPES = Path(__file__).resolve().parent.parent / "verenigingen" / "verenigingen" / "doctype"
RIGHTS = (
	"read",
	"write",
	"create",
	"delete",
	"submit",
	"cancel",
	"amend",
	"report",
	"export",
	"import",
	"print",
	"email",
	"share",
)


def rights(permissions: list[dict], role: str) -> set[tuple[int, str]]:
	"""(permlevel, right) pairs the role holds, from a DocType JSON's permissions."""
	return {
		(rule.get("permlevel", 0), right)
		for rule in permissions
		if rule["role"] == role and not rule.get("if_owner")
		for right in RIGHTS
		if rule.get(right)
	}


def doctype_files() -> list[Path]:
	return sorted(DOCTYPES.glob("*/*.json"))


@pytest.mark.parametrize("path", doctype_files(), ids=lambda p: p.stem)
def test_system_manager_has_what_the_app_administrator_has(path):
	"""Frappe administrators expect to open everything the app's administrator can."""
	permissions = json.loads(path.read_text(encoding="utf-8")).get("permissions", [])
	missing = rights(permissions, "Verenigingen Administrator") - rights(permissions, "System Manager")
	assert not missing, f"add to System Manager in {path.name}: {sorted(missing)}"
