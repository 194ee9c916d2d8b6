"""export-everything: NULLs, ids resolved to names, cents, codes, access, and no credentials kept."""

from decimal import Decimal

import pytest

from verenigingen.core.mijnrood.errors import MijnroodFileError
from verenigingen.core.mijnrood.everything import (
	parse_everything,
	read_everything_directory,
	read_everything_zip,
)

from .builders import MEMBER_HEADER, csv_bytes, everything_files, member_line, zip_bytes

HASH = "$argon2id$v=19$m=65536,t=4,p=1$c2VjcmV0c2FsdA$Zm9vYmFy"
TOKEN = "f00dfeedc0ffee"


def parse(*lines: list, **tables: bytes):
	"""Parse export-everything tables built from member lines."""
	return parse_everything({**everything_files(*lines), **tables}, None)


def test_ids_codes_and_cents_become_names_and_euros():
	"""Division and status become names; period code and cents become the DocType values."""
	member = (
		parse(member_line(contribution_period="1", contribution_per_period_in_cents="750")).rows[0].member
	)
	assert (member["chapter"], member["membership_status"], member["allows_access"]) == (
		"Amsterdam",
		"Lid",
		True,
	)
	assert (member["contribution_period"], member["contribution_amount"]) == ("Quarterly", Decimal("7.50"))
	assert "contribution_paid" not in member


def test_null_is_not_an_empty_string():
	"""``\\N`` means NULL: no IBAN, no division, no status (which Mijnrood treats as access)."""
	line = member_line(iban="\\N", division_id="\\N", current_membership_status_id="\\N", middle_name="")
	member = parse(line).rows[0].member
	assert (member["iban"], member["chapter"], member["tussenvoegsel"]) == ("", "", "")
	assert (member["membership_status"], member["allows_access"]) == ("", True)


def test_status_without_access_denies_an_account():
	"""allowed_access = 0 means the member must not get an account."""
	member = parse(member_line(current_membership_status_id="3")).rows[0].member
	assert (member["membership_status"], member["allows_access"]) == ("Opgezegd", False)


def test_unknown_ids_drop_the_field_with_a_warning():
	"""An id missing from its table drops group or status, and access becomes unknown."""
	row = parse(member_line(division_id="9", current_membership_status_id="9")).rows[0]
	assert row.ok and "chapter" not in row.member and "membership_status" not in row.member
	assert row.member["allows_access"] is None
	assert row.warnings == [
		"division_id: 9 is not in admin_division.csv; not imported",
		"current_membership_status_id: 9 is not in admin_membershipstatus.csv; not imported",
	]


def test_header_only_member_table_is_a_valid_empty_export():
	"""An association without members exports a header-only table."""
	parsed = parse()
	assert parsed.rows == [] and parsed.summary()["total"] == 0


def test_credentials_are_never_kept():
	"""A real hash and token in the file appear nowhere in the result."""
	parsed = parse(member_line(password_hash=HASH, new_password_token=TOKEN))
	assert HASH not in repr(parsed) and TOKEN not in repr(parsed)
	assert "password_hash" not in parsed.headers


def test_zip_at_root_or_in_one_folder_ignoring_macos_metadata():
	"""The folder may be zipped with or without its own directory; __MACOSX is ignored."""
	files = everything_files(member_line())
	for prefix in ("", "export-everything/"):
		extra = {"__MACOSX/export-everything/._admin_member.csv": b"\x00\x05"}
		read = read_everything_zip(zip_bytes({**{prefix + n: d for n, d in files.items()}, **extra}), "e.zip")
		assert read == files


def test_directory_on_disk(tmp_path):
	"""The export directory is read as it lies on the server."""
	files = everything_files(member_line())
	for name, data in files.items():
		(tmp_path / name).write_bytes(data)
	(tmp_path / "admin_payment.csv").write_bytes(b"id\n")
	assert read_everything_directory(tmp_path) == files


def test_directory_missing_a_table(tmp_path):
	"""A directory without the status table is refused by name."""
	(tmp_path / "admin_member.csv").write_bytes(b"id\n")
	(tmp_path / "admin_division.csv").write_bytes(b"id\n")
	with pytest.raises(MijnroodFileError, match="does not contain admin_membershipstatus.csv"):
		read_everything_directory(tmp_path)


def test_columns_matched_by_name_not_position():
	"""Row order and column order are arbitrary in export-everything."""
	header = list(reversed(MEMBER_HEADER))
	data = csv_bytes([header, list(reversed(member_line(first_name="Zoë")))], terminator="\n")
	assert parse(**{"admin_member.csv": data}).rows[0].member["first_name"] == "Zoë"


def test_missing_optional_column_is_not_carried():
	"""An admin_member.csv without iban neither sets nor clears IBANs."""
	header = [h for h in MEMBER_HEADER if h != "iban"]
	line = [cell for h, cell in zip(MEMBER_HEADER, member_line(), strict=True) if h != "iban"]
	parsed = parse(**{"admin_member.csv": csv_bytes([header, line], terminator="\n")})
	assert "iban" not in parsed.carried_fields and "iban" not in parsed.rows[0].member
