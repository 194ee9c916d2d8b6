"""Feature packages import downwards only: shared < account_creation < sepa < erpnext < member_import < monitoring.

A package may import ``verenigingen.core``, the top-level modules (permissions, ...) and the packages
before it in LAYERS, never one after it: otherwise two features reach into each other's internals
and a change in one breaks the other. What both need goes to ``verenigingen/shared``.
"""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).parent.parent / "verenigingen"
# Lowest first. account_creation is the base feature; sepa's mandate runs use its trackers and
# batches; erpnext's runs use both and fill batches from invoices; the Mijnrood import starts
# account, mandate and Customer runs; monitoring watches them all.
LAYERS = ("shared", "account_creation", "sepa", "erpnext", "member_import", "monitoring")


def imported_packages(path: Path) -> set[str]:
	"""The verenigingen sub-packages a module imports (``verenigingen.sepa.x`` -> ``sepa``)."""
	found = set()
	for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
		if isinstance(node, ast.Import):
			names = [alias.name for alias in node.names]
		elif isinstance(node, ast.ImportFrom) and not node.level:
			names = [node.module or ""]
		else:
			continue
		found |= {name.split(".")[1] for name in names if name.startswith("verenigingen.") and name.count(".")}
	return found


def layered_sources() -> list[tuple[str, Path]]:
	return [(layer, path) for layer in LAYERS for path in sorted((APP / layer).rglob("*.py"))]


@pytest.mark.parametrize(
	("layer", "path"), layered_sources(), ids=lambda value: str(value.relative_to(APP)) if isinstance(value, Path) else ""
)
def test_module_imports_no_higher_layer(layer, path):
	"""No import of a feature package above the module's own."""
	higher = set(LAYERS[LAYERS.index(layer) + 1 :])
	wrong = sorted(imported_packages(path) & higher)
	assert not wrong, (
		f"{path.relative_to(APP)} imports verenigingen.{', verenigingen.'.join(wrong)}: a feature imports only "
		f"the layers below it ({' < '.join(LAYERS)}); move what both need to verenigingen/shared"
	)


def test_shared_imports_no_feature_package():
	"""verenigingen/shared imports core and frappe only."""
	for path in (APP / "shared").rglob("*.py"):
		assert not imported_packages(path) & set(LAYERS[1:] + ("utils", "www")), path


def test_the_checker_sees_an_upward_import(tmp_path):
	"""The parser finds ``from verenigingen.member_import.failures import x`` (the import this test stopped)."""
	module = tmp_path / "m.py"
	module.write_text("from verenigingen.member_import.failures import reason_and_log\nimport verenigingen.core.names\n")
	assert imported_packages(module) == {"member_import", "core"}
