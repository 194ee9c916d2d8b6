"""The sample exports: every shape gives the same members, every planted defect its verdict.

Runs once per corpus of conftest.py (the generated sample, the generated export with every defect
kind, and the shared sample when it is present). The expected verdict of a row is the manifest's
(``expected_verdict`` derives it from the defect for the shared sample's manifest).
"""

import pytest

from verenigingen.core.mijnrood import FORMAT_CSV, FORMAT_EVERYTHING, FORMAT_XLSX, MEMBER_FIELDS
from verenigingen.demo.mijnrood_defects import ERROR, OK, WARNING
from verenigingen.demo.mijnrood_export import (
	ACCESS_BY_STATUS,
	expected_counts,
	expected_summary,
	expected_verdict,
)

from .conftest import SHAPES

# every shape carries every field but contribution_paid, which export-everything lacks
COMPARED = tuple(field for field in MEMBER_FIELDS if field != "contribution_paid")
NAME_FIELDS = ("first_name", "tussenvoegsel", "last_name")
# the field a defect makes the parser leave out of the member (so it is not compared)
DROPPED = {
	"bad_email": "email",
	"bad_iban": "iban",
	"bad_lidnr": "member_id",
	"formula_name": "first_name",
	"html_name": "last_name",
}
# export-everything knows the dangling id and drops the field; the admin list shows it empty
EVERYTHING_DROPS = {"unknown_chapter": "chapter", "unknown_status": "membership_status"}


def as_cp1252(text: str) -> str:
	"""What a name becomes after Dutch Excel saved it as Windows-1252."""
	return text.encode("cp1252", errors="replace").decode("cp1252")


def compared_fields(entry: dict, shape: str) -> tuple:
	"""The member fields a row carries the same in the shape as in the workbook."""
	skipped = {DROPPED.get(entry["defect"])}
	if "everything" in shape:
		skipped.add(EVERYTHING_DROPS.get(entry["defect"]))
	return tuple(field for field in COMPARED if field not in skipped)


def test_formats_are_recognised(parsed_samples):
	"""Each shape is reported as the format it is."""
	assert parsed_samples["xlsx"].format == FORMAT_XLSX
	assert parsed_samples["csv-excel-nl"].format == FORMAT_CSV
	assert parsed_samples["csv-utf8-bom"].format == FORMAT_CSV
	for shape in ("everything-dir", "everything-zip", "everything-zip-folder"):
		assert parsed_samples[shape].format == FORMAT_EVERYTHING


def test_csv_dialects_are_detected(parsed_samples):
	"""Dutch Excel CSV is ; cp1252 CRLF; the other tools' CSV is , UTF-8 with BOM."""
	excel = parsed_samples["csv-excel-nl"].dialect
	assert (excel.delimiter, excel.encoding, excel.line_terminator) == (";", "cp1252", "\r\n")
	bom = parsed_samples["csv-utf8-bom"].dialect
	assert (bom.delimiter, bom.encoding) == (",", "utf-8-sig")
	assert parsed_samples["everything-dir"].dialect.line_terminator == "\n"


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_has_all_members(parsed_samples, manifest, shape):
	"""All members come through, in file order, with the row numbers a user sees."""
	rows = parsed_samples[shape].rows
	assert len(rows) == manifest["members"] == len(manifest["rows"])
	expected_ids = [None if e["defect"] == "bad_lidnr" else str(e["lidnr"]) for e in manifest["rows"]]
	assert [row.member.get("member_id") for row in rows] == expected_ids
	assert [row.row_number for row in rows] == list(range(2, len(rows) + 2))


@pytest.mark.parametrize("shape", SHAPES[1:])
def test_every_shape_gives_the_same_members_as_the_xlsx(parsed_samples, manifest, shape):
	"""Names, emails, IBANs, dates, money and group are identical to the admin workbook."""
	reference = parsed_samples["xlsx"].rows
	for entry, expected_row, row in zip(manifest["rows"], reference, parsed_samples[shape].rows, strict=True):
		fields = compared_fields(entry, shape)
		expected = {key: expected_row.member.get(key) for key in fields}
		if shape == "csv-excel-nl":
			expected.update({key: as_cp1252(expected[key]) for key in NAME_FIELDS if expected.get(key)})
		assert {key: row.member.get(key) for key in fields} == expected, entry["lidnr"]


@pytest.mark.parametrize("shape", SHAPES)
def test_members_match_the_manifest(parsed_samples, manifest, shape):
	"""Names, email, IBAN and status of every row are what the manifest says was exported."""
	recode = as_cp1252 if shape == "csv-excel-nl" else str
	for entry, row in zip(manifest["rows"], parsed_samples[shape].rows, strict=True):
		fields = compared_fields(entry, shape)
		expected = {
			"first_name": recode(entry["first_name"]),
			"tussenvoegsel": entry["middle_name"],
			"last_name": recode(entry["last_name"]),
			"membership_status": entry["status"],
			"email": entry["email"],
			"iban": entry["iban"],
		}
		expected = {key: value for key, value in expected.items() if key in fields}
		assert {key: row.member.get(key) for key in expected} == expected, entry


@pytest.mark.parametrize("shape", SHAPES)
def test_every_planted_defect_gets_its_verdict(parsed_samples, manifest, shape):
	"""ok rows are clean; each defect gets the verdict documented in docs/import-validation.md."""
	first_row = {}
	for entry, row in zip(manifest["rows"], parsed_samples[shape].rows, strict=True):
		for key in ("email", "lidnr"):
			first_row.setdefault((key, entry[key]), row.row_number)
		verdict, message = expected_verdict(entry, shape)
		assert_verdict(row, verdict, message, entry)
		check_defect(entry, row, first_row)


def assert_verdict(row, verdict: str, message: str, entry: dict) -> None:
	"""The row is clean, warned or refused as expected, with a reason holding ``message``."""
	reasons = [str(reason) for reason in (row.errors if verdict == ERROR else row.warnings)]
	if verdict == OK:
		assert (row.errors, row.warnings) == ([], []), entry
	elif verdict == WARNING:
		assert row.ok and reasons, (entry, row.errors)
	else:
		assert not row.ok, entry
	assert not message or verdict == OK or any(message in reason for reason in reasons), (entry, reasons)


def check_defect(entry: dict, row, first_row: dict) -> None:
	"""What the shared sample's five defects do to the member, in detail."""
	defect = entry["defect"]
	if defect == "bad_iban":
		assert "iban" not in row.member
		assert any("IBAN" in warning.upper() and "not imported" in warning for warning in row.warnings)
	elif defect == "bad_postcode":
		assert row.member["postal_code"] == "12345"
		assert any("postcode" in warning.lower().replace("_", "") for warning in row.warnings)
	elif defect == "bad_email":
		assert row.errors == [row.errors[0]] and "not a valid email address" in row.errors[0]
	elif defect in ("dup_email", "dup_lidnr"):
		key = "email" if defect == "dup_email" else "lidnr"
		assert row.errors == [row.errors[0]]
		assert row.errors[0].endswith(f"duplicate of row {first_row[(key, entry[key])]}")
	elif defect == "no_first_name":
		assert len(row.errors) == 1 and row.errors[0].endswith("is empty")
		assert row.errors[0].startswith(("Voornaam", "first_name"))


@pytest.mark.parametrize("shape", ("everything-dir", "everything-zip"))
def test_export_everything_decides_access_from_the_status(parsed_samples, manifest, shape):
	"""allowed_access of the status decides; a member without status may log in, as in Mijnrood."""
	for entry, row in zip(manifest["rows"], parsed_samples[shape].rows, strict=True):
		expected = entry.get("allows_access", ACCESS_BY_STATUS.get(entry["status"]))
		assert row.member["allows_access"] is expected, entry


@pytest.mark.parametrize("shape", ("xlsx", "csv-excel-nl", "csv-utf8-bom"))
def test_admin_list_does_not_know_access(parsed_samples, shape):
	"""The admin list has no allowed_access information."""
	assert {row.member["allows_access"] for row in parsed_samples[shape].rows} == {None}


def test_carried_fields_follow_the_columns(parsed_samples):
	"""export-everything carries no Betaald; the admin list carries every Member field."""

	assert parsed_samples["xlsx"].carried_fields == frozenset(MEMBER_FIELDS)
	assert parsed_samples["everything-dir"].carried_fields == frozenset(MEMBER_FIELDS) - {"contribution_paid"}
	assert all("contribution_paid" not in row.member for row in parsed_samples["everything-dir"].rows)


@pytest.mark.parametrize("shape", SHAPES)
def test_summary_counts_the_verdicts(parsed_samples, manifest, shape):
	"""Rejected, importable and warned rows add up as the manifest's verdicts say."""
	assert parsed_samples[shape].summary() == expected_summary(manifest, shape)
	if "counts" in manifest:
		assert manifest["counts"] == expected_counts(manifest)


def test_the_tier2_sample_has_the_shared_samples_mix(request, manifest, parsed_samples):
	"""60 rows: 3 refused by the parser (no first name, bad email, duplicate email), 57 imported, 2 warned."""
	if request.node.callspec.params["samples"] == "generated-every-defect":
		pytest.skip("the every-defect export has its own mix")
	counts = expected_counts(manifest)
	assert counts == {
		"total_rows": 60,
		"valid_rows": 57,
		"error_count": 2,
		"skipped_count": 1,
		"created_count": 57,
	}
	summary = parsed_samples["xlsx"].summary()
	assert (summary["total"], summary["errors"], summary["with_warnings"]) == (60, 3, 2)


@pytest.mark.parametrize("shape", ("everything-dir", "everything-zip"))
def test_no_credentials_are_kept(parsed_samples, shape):
	"""password_hash and new_password_token* are dropped at read time."""
	parsed = parsed_samples[shape]
	assert not [h for h in parsed.headers if "password" in h]
	assert all(not [key for key in row.raw if "password" in key] for row in parsed.rows)
