"""The preview stored on the import: counts per action and the rows that need a look."""

import json

from verenigingen.core.import_plan import (
	CREATE,
	ERROR,
	SKIP,
	UNCHANGED,
	UPDATE,
	count_actions,
	match_conflicts,
)
from verenigingen.member_import.messages import message_text

PREVIEW_ROWS = 500


def build_preview(planned: list, file_format: str, new_chapters: list) -> str:
	"""JSON for the form: what each action will touch, rows with errors, warnings or changes first."""
	interesting = [row for row in planned if row.action != UNCHANGED or row.warnings]
	interesting.sort(key=lambda row: (_ORDER[row.action], row.row_number))
	preview = {
		"format": file_format,
		"actions": count_actions(planned),
		"new_chapters": new_chapters,
		"rows": [row_entry(row) for row in interesting[:PREVIEW_ROWS]],
		"rows_not_shown": max(len(interesting) - PREVIEW_ROWS, 0),
	}
	return json.dumps(preview, ensure_ascii=False, separators=(",", ":"))


_ORDER = {ERROR: 0, SKIP: 1, UPDATE: 2, CREATE: 3, UNCHANGED: 4}


def row_entry(row) -> dict:
	"""One preview line: no field values (an IBAN never shows here), only which fields change."""
	return {
		"row": row.row_number,
		"lidnr": row.member_id,
		"member": row.member,
		"name": row.values.get("full_name") if row.action == CREATE else None,
		"action": row.action,
		"fields": sorted(row.values) if row.action == UPDATE else [],
		"reasons": [message_text(m) for m in row.reasons],
		"warnings": [message_text(m) for m in row.warnings],
	}


def conflict_reasons(planned: list) -> dict[str, str]:
	"""Rows the match refused although the parser accepted them: ``{row_number: reason}``."""
	return {
		str(row.row_number): "; ".join(message_text(m) for m in row.reasons)
		for row in match_conflicts(planned)
	}
