"""Row verdicts and the summary of a parsed export."""

from verenigingen.core.mijnrood.model import MEMBER_FIELDS, CsvDialect, ParsedExport, RowResult


def make_export(*rows: RowResult) -> ParsedExport:
	"""A ParsedExport around the given rows."""
	return ParsedExport(format="csv", rows=list(rows), headers=[], carried_fields=frozenset())


def test_row_is_ok_without_errors():
	"""Warnings do not stop an import; errors do."""
	assert RowResult(2, {}, warnings=["w"]).ok
	assert not RowResult(2, {}, errors=["e"]).ok


def test_summary_counts_valid_warned_and_failed_rows():
	"""valid = importable rows; with_warnings is a subset of them; errors are the rest."""
	parsed = make_export(RowResult(2, {}), RowResult(3, {}, warnings=["w"]), RowResult(4, {}, ["e"], ["w"]))
	assert parsed.summary() == {"total": 3, "valid": 2, "with_warnings": 1, "errors": 1}


def test_failed_rows_are_the_rows_with_errors():
	"""failed_rows feeds the error report."""
	bad = RowResult(3, {}, errors=["e"])
	assert make_export(RowResult(2, {}), bad).failed_rows == [bad]


def test_member_fields_match_the_member_doctype():
	"""The canonical keys are the Member DocType fields, each once."""
	assert len(MEMBER_FIELDS) == len(set(MEMBER_FIELDS)) == 21
	assert MEMBER_FIELDS[0] == "member_id" and "allows_access" not in MEMBER_FIELDS


def test_csv_dialect_defaults_to_rfc4180():
	"""Without other information a report is comma-separated UTF-8 with CRLF."""
	assert CsvDialect() == CsvDialect(",", "utf-8", "\r\n")
