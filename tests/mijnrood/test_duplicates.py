"""In-file duplicates: the later row is rejected, pointing at the first."""

from verenigingen.core.mijnrood.duplicates import flag_in_file_duplicates
from verenigingen.core.mijnrood.model import RowResult


def test_later_rows_point_at_the_first_occurrence():
	"""Member number and email are unique within a file; empty values are not compared."""
	rows = [
		RowResult(2, {"member_id": "1", "email": "a@x.nl"}),
		RowResult(3, {"member_id": "2", "email": "a@x.nl"}),
		RowResult(4, {"member_id": "1", "email": ""}),
		RowResult(5, {"member_id": "3", "email": "a@x.nl"}),
		RowResult(6, {"member_id": "4", "email": ""}),
	]
	flag_in_file_duplicates(rows, {"member_id": "Lidnr.", "email": "E-mailadres"})
	assert [row.errors for row in rows] == [
		[],
		["E-mailadres 'a@x.nl' is a duplicate of row 2"],
		["Lidnr. '1' is a duplicate of row 2"],
		["E-mailadres 'a@x.nl' is a duplicate of row 2"],
		[],
	]


def test_rejected_rows_still_claim_their_values():
	"""An earlier rejected row still counts: importing the later one would hide the conflict."""
	rows = [
		RowResult(2, {"email": "a@x.nl"}, errors=["Voornaam is empty"]),
		RowResult(3, {"email": "a@x.nl"}),
	]
	flag_in_file_duplicates(rows, {"email": "email"})
	assert rows[1].errors == ["email 'a@x.nl' is a duplicate of row 2"]
