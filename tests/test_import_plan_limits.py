"""The plan judges rows by the Member's field limits and keeps stored values a narrow encoding damaged."""

from datetime import date

import pytest

from tests.member_doctype import member_rules
from tests.mijnrood.builders import admin_csv, admin_row
from tests.mijnrood.corpus import MEMBER_ERROR, member_field_cases
from verenigingen.core import import_plan as p
from verenigingen.core.mijnrood import parse_export

TODAY = date(2026, 11, 23)
CHAPTERS = {"Nijmegen": "Nijmegen"}


def parse_rows(data: bytes):
	return parse_export(data, "leden.csv", today=TODAY).rows


def stored_as(row, **changes):
	"""A stored member equal to the parsed row, with ``changes`` (as edited in Desk)."""
	record = {k: v for k, v in row.member.items() if k != "allows_access"}
	record.update(name=record["member_id"], **changes)
	return p.StoredMembers.from_records([record])


@pytest.mark.parametrize("case", [pytest.param(case, id=case.id) for case in member_field_cases()])
def test_member_field_corpus(case):
	"""Each case is refused (not created) with one reason naming the field and the lengths."""
	(planned,) = p.plan_rows(parse_rows(case.make()), p.StoredMembers(), CHAPTERS, rules=member_rules())
	assert case.kind == MEMBER_ERROR
	assert planned.action == p.ERROR and not planned.refused_by_parser
	assert len(planned.reasons) == 1 and case.expected in planned.reasons[0], planned.reasons
	assert planned in p.match_conflicts([planned])  # so the error report lists it


def test_without_rules_the_plan_does_not_judge_lengths():
	"""Rules are what the Frappe side passes; the plan alone knows no column lengths."""
	(planned,) = p.plan_rows(
		parse_rows(admin_csv(admin_row(voornaam="A" * 300))), p.StoredMembers(), CHAPTERS
	)
	assert planned.action == p.CREATE


def test_update_with_a_too_long_name_is_refused():
	"""A stored member whose new last name would not fit is not touched."""
	rows = parse_rows(admin_csv(admin_row(achternaam="B" * 141)))
	stored = stored_as(rows[0], last_name="Haan")
	(planned,) = p.plan_rows(rows, stored, CHAPTERS, rules=member_rules())
	assert planned.action == p.ERROR and planned.member == "1000"
	assert "141 characters" in planned.reasons[0]


def test_group_without_a_chapter_the_site_knows_is_left_out():
	"""A chapter name the site does not have (and will not create) is a Link to nothing: dropped, warned."""
	rows = parse_rows(admin_csv(admin_row()))
	(planned,) = p.plan_rows(rows, p.StoredMembers(), CHAPTERS, rules=member_rules(chapters=()))
	assert planned.action == p.CREATE and "chapter" not in planned.values
	assert "Chapter: Chapter Nijmegen does not exist; not imported" in planned.warnings


def cp1252_rows(**cells):
	"""The row as Dutch Excel saves it: letters Windows-1252 lacks become "?"."""
	text = admin_csv(admin_row(**cells), delimiter=";").decode("utf-8")
	return parse_rows(text.encode("cp1252", errors="replace"))


def test_cp1252_reimport_keeps_the_stored_name_and_says_so():
	"""The CSV's "Y?lmaz" is "Yılmaz" saved in Windows-1252: stored name kept, preview warns."""
	rows = cp1252_rows(achternaam="Yılmaz")
	assert rows[0].member["last_name"] == "Y?lmaz"
	(planned,) = p.plan_rows(rows, stored_as(rows[0], last_name="Yılmaz"), CHAPTERS, encoding="cp1252")
	assert (planned.action, planned.values) == (p.UNCHANGED, {})
	# without rules (no labels) the field name stands in for the label
	expected = "last_name: the stored value is kept; 'Y?lmaz' lost letters that Windows-1252 cannot hold"
	assert expected in planned.warnings


def test_cp1252_reimport_still_writes_real_changes():
	"""A damaged name is kept while a new phone number in the same row is written."""
	rows = cp1252_rows(achternaam="Yılmaz", telefoon="0687654321")
	stored = stored_as(rows[0], last_name="Yılmaz", phone="+31612345678")
	(planned,) = p.plan_rows(rows, stored, CHAPTERS, rules=member_rules(), encoding="cp1252")
	assert (planned.action, planned.values) == (p.UPDATE, {"phone": "+31687654321"})
	assert any(w.startswith("Last Name: the stored value is kept") for w in planned.warnings)


def test_utf8_file_with_a_question_mark_updates():
	"""Without a narrow encoding the "?" is what the file says."""
	rows = parse_rows(admin_csv(admin_row(achternaam="Y?lmaz")))
	(planned,) = p.plan_rows(rows, stored_as(rows[0], last_name="Yılmaz"), CHAPTERS, encoding=None)
	assert (planned.action, planned.values) == (p.UPDATE, {"last_name": "Y?lmaz"})
