"""verenigingen/core, and the demo export generator the site-free tests use, must never import frappe."""

import ast
import importlib
import pkgutil
import sys
from pathlib import Path

import pytest

import verenigingen.core

CORE_DIR = Path(verenigingen.core.__file__).parent
APP_DIR = CORE_DIR.parent
# verenigingen/demo/mijnrood_*.py generate the test exports; the rest of demo/ sets up a site
DEMO_GENERATOR = sorted((APP_DIR / "demo").glob("mijnrood_*.py"))


def core_sources():
	return sorted(CORE_DIR.rglob("*.py")) + DEMO_GENERATOR


@pytest.mark.parametrize("path", core_sources(), ids=lambda p: str(p.relative_to(APP_DIR)))
def test_core_module_has_no_frappe_import(path):
	"""No import statement in core names frappe."""
	tree = ast.parse(path.read_text(encoding="utf-8"))
	for node in ast.walk(tree):
		if isinstance(node, ast.Import):
			names = [alias.name for alias in node.names]
		elif isinstance(node, ast.ImportFrom):
			names = [node.module or ""]
		else:
			continue
		assert not any(n == "frappe" or n.startswith("frappe.") for n in names), f"{path} imports frappe"


def test_core_imports_with_frappe_unavailable(monkeypatch):
	"""Every core module imports while `import frappe` would fail."""
	monkeypatch.setitem(sys.modules, "frappe", None)
	for info in pkgutil.walk_packages([str(CORE_DIR)], prefix="verenigingen.core."):
		importlib.import_module(info.name)
	for path in DEMO_GENERATOR:
		importlib.import_module(f"verenigingen.demo.{path.stem}")
