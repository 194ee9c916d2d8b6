"""Shared fixtures: Mijnrood sample exports in all their shapes, parsed once per session.

The exports are generated at test time (verenigingen/demo/mijnrood_export.py): the tier-2 sample
(the shared sample's size and defect mix) and one with every defect kind. The shared sample
beside the repository (``$MIJNROOD_SAMPLES`` or ``../shared/samples/mijnrood``) is an additional
corpus when it is there; without it its tests are skipped, never failed.
"""

import io
import json
import os
import zipfile
from datetime import date
from pathlib import Path

import pytest

from verenigingen.core.mijnrood import parse_export, parse_export_directory
from verenigingen.demo.mijnrood_defects import SAMPLE_DEFECTS
from verenigingen.demo.mijnrood_export import write_export

TODAY = date(2026, 11, 23)
SHAPES = ("xlsx", "csv-excel-nl", "csv-utf8-bom", "everything-dir", "everything-zip", "everything-zip-folder")
GENERATED = {
	# what the tier-2 tests import (verenigingen/tests/import_factories.py)
	"generated-sample": {"count": 60, "seed": 2026, "defects": SAMPLE_DEFECTS},
	"generated-every-defect": {"count": 120, "seed": 7, "defects": True},
}
SHARED = "shared-sample"


def samples_dir() -> Path:
	"""The shared sample directory: ``$MIJNROOD_SAMPLES`` or ``shared/`` next to the repository root."""
	if os.environ.get("MIJNROOD_SAMPLES"):
		return Path(os.environ["MIJNROOD_SAMPLES"])
	return Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "mijnrood"


def zip_directory(path: Path, folder: str = "") -> bytes:
	"""Zip a directory in memory, optionally inside one folder, as a user would."""
	buffer = io.BytesIO()
	with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
		for file in sorted(path.iterdir()):
			archive.writestr(folder + file.name, file.read_bytes())
	return buffer.getvalue()


@pytest.fixture(scope="session", params=[*GENERATED, SHARED])
def samples(request, tmp_path_factory) -> Path:
	"""A directory with every shape and manifest.json: generated now, or the shared sample when present."""
	if request.param == SHARED:
		path = samples_dir()
		if not (path / "manifest.json").is_file():
			pytest.skip(f"optional shared Mijnrood sample not present at {path} (set MIJNROOD_SAMPLES)")
		return path
	path = tmp_path_factory.mktemp(request.param)
	write_export(path, today=TODAY, **GENERATED[request.param])
	return path


@pytest.fixture(scope="session")
def manifest(samples: Path) -> dict:
	"""The manifest listing each sample row, its planted defect and (generated) its expected verdict."""
	return json.loads((samples / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def parsed_samples(samples: Path) -> dict:
	"""Every shape of the sample export, parsed with a fixed today."""
	everything = samples / "export-everything"
	return {
		"xlsx": parse_export_directory(samples / "Export Ledendatabase.xlsx", today=TODAY),
		"csv-excel-nl": parse_export_directory(samples / "ledenexport_excel_nl.csv", today=TODAY),
		"csv-utf8-bom": parse_export_directory(samples / "ledenexport_utf8_bom.csv", today=TODAY),
		"everything-dir": parse_export_directory(everything, today=TODAY),
		"everything-zip": parse_export(zip_directory(everything), "export.zip", today=TODAY),
		"everything-zip-folder": parse_export(
			zip_directory(everything, "export-everything/"), "export.zip", today=TODAY
		),
	}
