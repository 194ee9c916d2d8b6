"""Shared fixtures: the Mijnrood sample export in all its shapes, parsed once per session."""

import io
import json
import os
import zipfile
from datetime import date
from pathlib import Path

import pytest

from verenigingen.core.mijnrood import parse_export, parse_export_directory

TODAY = date(2026, 11, 23)
SHAPES = ("xlsx", "csv-excel-nl", "csv-utf8-bom", "everything-dir", "everything-zip", "everything-zip-folder")


def samples_dir() -> Path:
	"""The sample directory: ``$MIJNROOD_SAMPLES`` or ``shared/`` next to the repository root."""
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


@pytest.fixture(scope="session")
def samples() -> Path:
	"""The sample directory; a missing one is a broken checkout, not a reason to skip."""
	path = samples_dir()
	assert (path / "manifest.json").is_file(), f"Mijnrood samples not found at {path}"
	return path


@pytest.fixture(scope="session")
def manifest(samples: Path) -> dict:
	"""The manifest listing each sample row and its planted defect."""
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
