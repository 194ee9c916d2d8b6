"""Every malformed or hostile file gets a clear verdict: MijnroodFileError or the documented row verdict."""

import pytest

from verenigingen.core.mijnrood import MijnroodFileError, parse_export

from .conftest import TODAY
from .corpus import FILE, ROW_ERROR, all_cases


def test_corpus_is_large_enough():
	"""The corpus keeps at least 30 distinct cases."""
	ids = [case.id for case in all_cases()]
	assert len(ids) >= 30 and len(ids) == len(set(ids))


@pytest.mark.parametrize("case", [pytest.param(case, id=case.id) for case in all_cases()])
def test_malformed_file_gets_a_clear_verdict(case):
	"""The message names the problem; a refused file yields nothing partial."""
	data = case.make()
	if case.kind == FILE:
		with pytest.raises(MijnroodFileError) as caught:
			parse_export(data, case.filename, today=TODAY)
		assert case.expected in caught.value.message
		assert str(caught.value) == caught.value.message
		return
	parsed = parse_export(data, case.filename, today=TODAY)
	messages = [m for row in parsed.rows for m in (row.errors if case.kind == ROW_ERROR else row.warnings)]
	assert any(case.expected in message for message in messages), messages
	if case.kind != ROW_ERROR:
		assert all(row.ok for row in parsed.rows)
