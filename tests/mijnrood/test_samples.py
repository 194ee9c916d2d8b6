"""The real sample export: every shape gives the same members, every planted defect its verdict."""

import pytest

from verenigingen.core.mijnrood import FORMAT_CSV, FORMAT_EVERYTHING, FORMAT_XLSX, MEMBER_FIELDS

from .conftest import SHAPES

# every shape carries every field but contribution_paid, which export-everything lacks
COMPARED = tuple(field for field in MEMBER_FIELDS if field != "contribution_paid")
NAME_FIELDS = ("first_name", "tussenvoegsel", "last_name")
ACCESS_BY_STATUS = {"Lid": True, "Aspirant": True, "Opgezegd": False, "": True}


def by_member_id(parsed) -> dict:
	"""Index a parse by member number (every sample row has one)."""
	return {row.member["member_id"]: row for row in parsed.rows}


def as_cp1252(text: str) -> str:
	"""What a name becomes after Dutch Excel saved it as Windows-1252."""
	return text.encode("cp1252", errors="replace").decode("cp1252")


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
	"""All 60 members come through, in file order, with the row numbers a user sees."""
	rows = parsed_samples[shape].rows
	assert len(rows) == manifest["members"]
	assert [row.member["member_id"] for row in rows] == [str(entry["lidnr"]) for entry in manifest["rows"]]
	assert [row.row_number for row in rows] == list(range(2, 62))


@pytest.mark.parametrize("shape", SHAPES[1:])
def test_every_shape_gives_the_same_members_as_the_xlsx(parsed_samples, shape):
	"""Names, emails, IBANs, dates, money and group are identical to the admin workbook."""
	reference = by_member_id(parsed_samples["xlsx"])
	for member_id, row in by_member_id(parsed_samples[shape]).items():
		expected = {key: reference[member_id].member.get(key) for key in COMPARED}
		if shape == "csv-excel-nl":
			expected.update({key: as_cp1252(expected[key]) for key in NAME_FIELDS if expected[key]})
		assert {key: row.member.get(key) for key in COMPARED} == expected, member_id


@pytest.mark.parametrize("shape", SHAPES)
def test_members_match_the_manifest(parsed_samples, manifest, shape):
	"""Names, email, IBAN and status of every row are what the manifest says was exported."""
	rows = by_member_id(parsed_samples[shape])
	for entry in manifest["rows"]:
		member = rows[str(entry["lidnr"])].member
		recode = as_cp1252 if shape == "csv-excel-nl" else str
		assert member["first_name"] == recode(entry["first_name"])
		assert member["tussenvoegsel"] == entry["middle_name"]
		assert member["last_name"] == recode(entry["last_name"])
		assert member["membership_status"] == entry["status"]
		if entry["defect"] not in ("bad_email", "bad_iban"):
			assert member["email"] == entry["email"]
		if entry["defect"] != "bad_iban":
			assert member["iban"] == entry["iban"]


@pytest.mark.parametrize("shape", SHAPES)
def test_every_planted_defect_gets_its_verdict(parsed_samples, manifest, shape):
	"""ok rows are clean; each defect gets the verdict documented in docs/import-validation.md."""
	rows = by_member_id(parsed_samples[shape])
	first_row_of_email = {}
	for entry in manifest["rows"]:
		row = rows[str(entry["lidnr"])]
		first_row_of_email.setdefault(entry["email"], row.row_number)
		check_verdict(entry, row, first_row_of_email[entry["email"]], shape)


def check_verdict(entry: dict, row, first_row: int, shape: str) -> None:
	"""Assert the verdict of one manifest row."""
	defect = entry["defect"]
	if defect in ("ok", "bad_iban", "bad_postcode"):
		assert row.ok, (entry, row.errors)
	else:
		assert not row.ok, entry
	if defect == "ok":
		lossy = shape == "csv-excel-nl" and any(
			as_cp1252(entry[k]) != entry[k] for k in ("first_name", "last_name")
		)
		assert bool(row.warnings) == lossy, (entry, row.warnings)
	elif defect == "bad_iban":
		assert "iban" not in row.member
		assert any("IBAN" in warning.upper() and "not imported" in warning for warning in row.warnings)
	elif defect == "bad_postcode":
		assert row.member["postal_code"] == "12345"
		assert any("postcode" in warning.lower().replace("_", "") for warning in row.warnings)
	elif defect == "bad_email":
		assert row.errors == [row.errors[0]] and "not a valid email address" in row.errors[0]
	elif defect == "dup_email":
		assert row.errors == [row.errors[0]] and row.errors[0].endswith(f"duplicate of row {first_row}")
	elif defect == "no_first_name":
		assert len(row.errors) == 1 and row.errors[0].endswith("is empty")
		assert row.errors[0].startswith(("Voornaam", "first_name"))


@pytest.mark.parametrize("shape", ("everything-dir", "everything-zip"))
def test_export_everything_decides_access_from_the_status(parsed_samples, manifest, shape):
	"""allowed_access of the status decides; a member without status may log in, as in Mijnrood."""
	rows = by_member_id(parsed_samples[shape])
	for entry in manifest["rows"]:
		assert rows[str(entry["lidnr"])].member["allows_access"] is ACCESS_BY_STATUS[entry["status"]]


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
def test_summary_counts_the_verdicts(parsed_samples, shape):
	"""3 rows rejected (no first name, bad email, duplicate email), 57 importable."""
	summary = parsed_samples[shape].summary()
	assert summary["total"] == 60 and summary["errors"] == 3 and summary["valid"] == 57
	assert summary["with_warnings"] == (3 if shape == "csv-excel-nl" else 2)


@pytest.mark.parametrize("shape", ("everything-dir", "everything-zip"))
def test_no_credentials_are_kept(parsed_samples, shape):
	"""password_hash and new_password_token* are dropped at read time."""
	parsed = parsed_samples[shape]
	assert not [h for h in parsed.headers if "password" in h]
	assert all(not [key for key in row.raw if "password" in key] for row in parsed.rows)
