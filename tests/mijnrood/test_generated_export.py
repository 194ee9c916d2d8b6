"""The generated Mijnrood export (verenigingen/demo/mijnrood_export.py): deterministic, realistic, honest."""

import io
import json
import zipfile
from collections import Counter

import pytest
import schwifty
from stdnum import iban as stdnum_iban

from tests.member_doctype import member_rules
from verenigingen.core import import_plan as plan
from verenigingen.core.mijnrood import parse_export
from verenigingen.demo import mijnrood_export as gen
from verenigingen.demo.mijnrood_defects import DEFECTS, SAMPLE_DEFECTS

from .conftest import TODAY

UPLOAD_SHAPES = ("xlsx", "csv-excel-nl", "csv-utf8-bom", "everything-dir")


def parsed_upload(shape: str, **options):
	content, filename = gen.export_bytes(shape, today=TODAY, **options)
	return parse_export(content, filename, today=TODAY)


def test_same_seed_same_files_other_seed_other_members():
	"""Text shapes are byte-identical for a seed; another seed gives other members."""
	for shape in ("csv-excel-nl", "csv-utf8-bom"):
		assert gen.export_bytes(shape, seed=5) == gen.export_bytes(shape, seed=5)
	assert gen.generate_members(30, seed=5) == gen.generate_members(30, seed=5)
	assert gen.generate_members(30, seed=5) != gen.generate_members(30, seed=6)


def test_every_defect_kind_is_planted_or_none():
	"""defects=True plants every kind, False none, a list exactly those kinds."""
	kinds = Counter(row["defect"] for row in gen.generate_members(60))
	assert set(kinds) - {"ok"} == set(DEFECTS)
	assert {row["defect"] for row in gen.generate_members(60, defects=False)} == {"ok"}
	assert set(Counter(row["defect"] for row in gen.generate_members(60, defects=SAMPLE_DEFECTS))) == {
		"ok",
		*SAMPLE_DEFECTS,
	}
	with pytest.raises(ValueError, match="unknown defect kinds: typo"):
		gen.generate_members(10, defects=["typo"])


def test_a_large_export_is_dirtier():
	"""One set of every defect per 500 members."""
	kinds = Counter(row["defect"] for row in gen.generate_members(1000))
	assert all(kinds[kind] == 2 for kind in DEFECTS)


def test_members_look_like_a_dutch_association():
	"""Namesakes, tussenvoegsels, diacritics, chapters, valid IBANs with a known BIC, Opgezegd members."""
	rows = gen.generate_members(500, defects=False)
	names = Counter((row["first_name"], row["middle_name"], row["last_name"]) for row in rows)
	assert sum(count for count in names.values() if count > 1) >= 2
	assert {"van der", "de", "'t"} <= {row["middle_name"] for row in rows}
	assert any(not row["first_name"].isascii() or not row["last_name"].isascii() for row in rows)
	assert len({row["chapter"] for row in rows}) >= 6 and any(not row["chapter"] for row in rows)
	ibans = [row["iban"] for row in rows if row["iban"]]
	assert 0.7 < len(ibans) / len(rows) < 0.9
	assert all(stdnum_iban.is_valid(iban) and schwifty.IBAN(iban).bic for iban in ibans)
	assert len({row["email"] for row in rows}) == len(rows) and all(row["email"].isascii() for row in rows)
	assert Counter(row["status"] for row in rows)["Opgezegd"] > 10


@pytest.mark.parametrize("shape", UPLOAD_SHAPES)
def test_the_plan_gives_every_row_the_manifests_action(shape):
	"""On an empty site the import's plan (with the Member's field limits) does what the manifest says."""
	rows = gen.generate_members(60, today=TODAY)
	parsed = parsed_upload(shape)
	groups = tuple(plan.groups_of(parsed.rows))
	planned = plan.plan_rows(
		parsed.rows, plan.StoredMembers(), {g: g for g in groups}, rules=member_rules(chapters=groups)
	)
	for row, planned_row in zip(rows, planned, strict=True):
		assert planned_row.action == row["import"], (row["defect"], planned_row.reasons)
		if row["verdict"] == gen.OK and row["import"] == "error":
			assert any(row["message"] in str(reason) for reason in planned_row.reasons), planned_row.reasons
	counts = plan.count_actions(planned)
	expected = gen.expected_counts({"rows": rows})
	assert (counts["create"], counts["error"], counts["skip"]) == (
		expected["created_count"],
		expected["error_count"],
		expected["skipped_count"],
	)


def test_everything_upload_is_the_folder_zipped():
	"""The ZIP holds export-everything/ with the three tables, password hashes in it as Mijnrood writes them."""
	content, filename = gen.export_bytes("everything-dir")
	assert filename == "export-everything.zip"
	with zipfile.ZipFile(io.BytesIO(content)) as archive:
		names = set(archive.namelist())
		members = archive.read("export-everything/admin_member.csv").decode()
	assert names == {f"export-everything/{name}" for name in gen.files.everything_files([], ()).keys()}
	assert "$2y$13$" in members and "\\N" in members


def test_write_export_and_the_command_line(tmp_path):
	"""The CLI writes the real file names and a manifest whose counts agree with its rows."""
	arguments = [str(tmp_path), "--members", "40", "--seed", "3", "--shapes", "xlsx", "everything-dir"]
	assert gen.main(arguments) == 0
	written = sorted(path.name for path in tmp_path.iterdir())
	assert written == ["Export Ledendatabase.xlsx", "export-everything", "manifest.json"]
	manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
	assert manifest["members"] == len(manifest["rows"]) == 40
	assert manifest["counts"] == gen.expected_counts(manifest)
	assert [entry["row"] for entry in manifest["rows"]] == list(range(2, 42))
	gen.main([str(tmp_path / "clean"), "--members", "10", "--no-defects", "--shapes", "csv-utf8-bom"])
	clean = json.loads((tmp_path / "clean" / "manifest.json").read_text(encoding="utf-8"))
	assert clean["defects"] == {} and clean["counts"]["created_count"] == 10
