"""Finding or describing the Chapter of a Mijnrood group."""

from tests.mijnrood.builders import everything_files
from verenigingen.core.chapter_match import match_chapters, new_chapter_values, read_division_details

CHAPTERS = [
	{"name": "Amsterdam", "mijnrood_division_id": None},
	{"name": "Afdeling Utrecht", "mijnrood_division_id": "3"},
]


def test_match_by_name_ignores_case_and_spacing():
	"""'amsterdam ' finds Amsterdam (the database compares names without case)."""
	found, missing = match_chapters(["amsterdam ", "Leiden"], CHAPTERS)
	assert found == {"amsterdam ": "Amsterdam"}
	assert missing == ["Leiden"]


def test_match_by_division_id_first():
	"""A renamed chapter is still found by its Mijnrood division id."""
	found, missing = match_chapters(["Utrecht"], CHAPTERS, {"Utrecht": {"id": "3"}})
	assert found == {"Utrecht": "Afdeling Utrecht"} and not missing


def test_division_details_are_cleaned():
	"""NULLs are left out; phone and email are normalised; junk is dropped."""
	files = everything_files()
	files["admin_division.csv"] = (
		b"id,name,phone,city,address,post_code,facebook,instagram,twitter,email_id,can_be_selected_on_application\n"
		b"1,Amsterdam,020-1234567,Amsterdam,\\N,=cmd|x,\\N,\\N,\\N,AMS@Example.nl,1\n"
		b"2,Leiden,nonsense,<b>Leiden</b>,\\N,\\N,\\N,\\N,\\N,not-an-email,1\n"
	)
	details = read_division_details(files)
	assert details["Amsterdam"] == {
		"id": "1",
		"name": "Amsterdam",
		"city": "Amsterdam",
		"contact_phone": "+31201234567",
		"contact_email": "ams@example.nl",
	}
	assert details["Leiden"] == {"id": "2", "name": "Leiden"}


def test_new_chapter_values():
	"""A new chapter carries the division id and details when known, else just its name."""
	assert new_chapter_values("Leiden", None) == {"chapter_name": "Leiden"}
	values = new_chapter_values("Amsterdam", {"id": "1", "name": "Amsterdam", "city": "Amsterdam"})
	assert values == {"chapter_name": "Amsterdam", "city": "Amsterdam", "mijnrood_division_id": "1"}
