"""Planning an import: matching rows to stored members and deciding create/update/unchanged/skip/error."""

from datetime import date

import pytest

from tests.mijnrood.builders import admin_csv, admin_row
from verenigingen.core import import_plan as p
from verenigingen.core.mijnrood import parse_export

TODAY = date(2026, 11, 23)


def parse_rows(*rows):
	return parse_export(admin_csv(*rows), "leden.csv", today=TODAY).rows


def stored_from(rows, **overrides):
	"""Stored members equal to the parsed rows (as if imported before)."""
	records = []
	for row in rows:
		record = {k: v for k, v in row.member.items() if k != "allows_access"}
		record.update(name=record["member_id"], **overrides)
		records.append(record)
	return p.StoredMembers.from_records(records)


def test_new_rows_are_created_with_full_name():
	"""Nothing stored: every valid row is a create with the composed name."""
	planned = p.plan_rows(
		parse_rows(admin_row(1000), admin_row(1001)), p.StoredMembers(), {"Nijmegen": "Nijmegen"}
	)
	assert [r.action for r in planned] == [p.CREATE, p.CREATE]
	assert planned[0].values["full_name"] == "Anna van Haan"
	assert "allows_access" not in planned[0].values


def test_same_file_again_is_unchanged():
	"""A re-import of what is stored plans no writes."""
	rows = parse_rows(admin_row(1000), admin_row(1001))
	planned = p.plan_rows(rows, stored_from(rows), {"Nijmegen": "Nijmegen"})
	assert [r.action for r in planned] == [p.UNCHANGED, p.UNCHANGED]
	assert planned[0].member == "1000"


def test_changed_field_is_an_update_of_only_that_field():
	"""A new phone number updates the phone, nothing else."""
	stored = stored_from(parse_rows(admin_row(1000)))
	planned = p.plan_rows(
		parse_rows(admin_row(1000, telefoon="0687654321")), stored, {"Nijmegen": "Nijmegen"}
	)
	assert planned[0].action == p.UPDATE
	assert planned[0].values == {"phone": "+31687654321"}


def test_match_by_email_when_lidnr_unknown():
	"""A member entered by hand (no Lidnr) is matched by email and gets the Lidnr."""
	rows = parse_rows(admin_row(1000))
	record = {k: v for k, v in rows[0].member.items() if k != "allows_access"}
	record.update(name="MEM-00001", member_id=None)
	planned = p.plan_rows(rows, p.StoredMembers.from_records([record]), {"Nijmegen": "Nijmegen"})
	assert (planned[0].action, planned[0].member, planned[0].values) == (
		p.UPDATE,
		"MEM-00001",
		{"member_id": "1000"},
	)


def test_email_of_another_member_is_refused():
	"""Lidnr matches one member, the email belongs to another: refused, not guessed."""
	stored = p.StoredMembers.from_records(
		[
			{"name": "1000", "member_id": "1000", "email": "old@example.nl"},
			{"name": "2000", "member_id": "2000", "email": "anna1000@example.nl"},
		]
	)
	planned = p.plan_rows(parse_rows(admin_row(1000)), stored)
	assert planned[0].action == p.ERROR
	assert "already used by member 2000" in planned[0].reasons[0]


def test_email_belonging_to_other_lidnr_is_refused():
	"""A new Lidnr with the email of a member that has another Lidnr is refused."""
	stored = p.StoredMembers.from_records(
		[{"name": "2000", "member_id": "2000", "email": "anna1000@example.nl"}]
	)
	planned = p.plan_rows(parse_rows(admin_row(1000)), stored)
	assert planned[0].action == p.ERROR
	assert "Lidnr 2000" in planned[0].reasons[0]


def test_name_taken_by_member_with_other_lidnr_is_refused():
	"""A Member named 1000 whose Lidnr is now different blocks creating member 1000."""
	stored = p.StoredMembers.from_records([{"name": "1000", "member_id": "5", "email": "x@example.nl"}])
	assert p.plan_rows(parse_rows(admin_row(1000)), stored)[0].action == p.ERROR


def test_in_file_duplicates_are_skipped_and_invalid_rows_refused():
	"""The repeat of an earlier row is skipped; a row without first name is an error."""
	rows = parse_rows(
		admin_row(1000), admin_row(1001, email="anna1000@example.nl"), admin_row(1002, voornaam="")
	)
	planned = p.plan_rows(rows, p.StoredMembers(), {"Nijmegen": "Nijmegen"})
	assert [r.action for r in planned] == [p.CREATE, p.SKIP, p.ERROR]
	assert p.count_actions(planned) == {"create": 1, "update": 0, "unchanged": 0, "skip": 1, "error": 1}


def test_duplicate_template_matches_the_parser():
	"""The parser's duplicate message still uses the template the plan recognises."""
	rows = parse_rows(admin_row(1000), admin_row(1000, email="other@example.nl"))
	assert p.is_duplicate_row(rows[1])
	assert rows[1].errors[0].template == p.DUPLICATE_TEMPLATE


def test_group_without_chapter_is_left_out_with_warning():
	"""A group that maps to no chapter is not set, and the row says so."""
	planned = p.plan_rows(parse_rows(admin_row(1000)), p.StoredMembers(), {})
	assert "chapter" not in planned[0].values
	assert any("Nijmegen" in w for w in planned[0].warnings)


def test_group_is_mapped_to_the_chapter_name():
	"""The Member gets the Chapter's document name."""
	planned = p.plan_rows(parse_rows(admin_row(1000)), p.StoredMembers(), {"Nijmegen": "Afdeling Nijmegen"})
	assert planned[0].values["chapter"] == "Afdeling Nijmegen"


def test_email_change_of_member_with_login_warns():
	"""The login keeps its address: the plan says so."""
	rows = parse_rows(admin_row(1000))
	stored = stored_from(rows, user="anna1000@example.nl")
	planned = p.plan_rows(
		parse_rows(admin_row(1000, email="new@example.nl")), stored, {"Nijmegen": "Nijmegen"}
	)
	assert planned[0].values == {"email": "new@example.nl"}
	assert any("login" in w for w in planned[0].warnings)


@pytest.mark.parametrize("groups, expected", [([], []), (["A", "B", "A"], ["A", "B"])])
def test_groups_of(groups, expected):
	"""Distinct group names of the importable rows, in order."""
	rows = parse_rows(*(admin_row(1000 + i, groep=g) for i, g in enumerate(groups))) if groups else []
	assert p.groups_of(rows) == expected


def test_tally_counts_failed_writes_as_errors():
	"""A create that failed in the database is an error, not a created member."""
	planned = p.plan_rows(
		parse_rows(admin_row(1000), admin_row(1001), admin_row(1002, voornaam="")),
		p.StoredMembers(),
		{"Nijmegen": "Nijmegen"},
	)
	assert p.tally_outcomes(planned, [planned[1].row_number]) == {
		"create": 1,
		"update": 0,
		"unchanged": 0,
		"skip": 0,
		"error": 2,
	}


def test_match_conflicts_are_not_parser_errors():
	"""Only rows refused by the match are conflicts."""
	stored = p.StoredMembers.from_records(
		[{"name": "2000", "member_id": "2000", "email": "anna1000@example.nl"}]
	)
	planned = p.plan_rows(parse_rows(admin_row(1000), admin_row(1001, voornaam="")), stored)
	assert [row.row_number for row in p.match_conflicts(planned)] == [planned[0].row_number]
