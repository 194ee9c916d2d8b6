"""App code never bypasses permissions (tests may switch users; app code may not)."""

import re
from pathlib import Path

import pytest

APP_DIR = Path(__file__).resolve().parents[1] / "verenigingen"
FORBIDDEN = re.compile(r"ignore_permissions\s*=\s*True|set_user\(\s*[\"']Administrator[\"']\s*\)")


def is_test_code(path: Path) -> bool:
	return path.name.startswith("test_") or "tests" in path.relative_to(APP_DIR).parts


def app_sources():
	return sorted(p for p in APP_DIR.rglob("*.py") if not is_test_code(p))


def test_app_sources_are_found():
	"""The scan really looks at app code."""
	assert any(p.name == "hooks.py" for p in app_sources())


@pytest.mark.parametrize("path", app_sources(), ids=lambda p: str(p.relative_to(APP_DIR)))
def test_no_permission_bypass(path):
	"""No ignore_permissions=True and no set_user("Administrator") in app code."""
	hits = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if FORBIDDEN.search(line)]
	assert not hits, f"{path}: permission bypass on line(s) {hits}"


@pytest.mark.parametrize(
	"line",
	['doc.insert(ignore_permissions=True)', "doc.flags.ignore_permissions = True", "frappe.set_user('Administrator')"],
)
def test_pattern_catches_bypasses(line):
	"""The pattern itself can fail."""
	assert FORBIDDEN.search(line)
