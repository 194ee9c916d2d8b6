"""The error report: the refused and skipped rows in the upload's own format, with a reason column."""

import json
import os
from dataclasses import replace

from frappe import _

from verenigingen.core.mijnrood import FORMAT_EVERYTHING, FORMAT_XLSX, write_error_report
from verenigingen.core.mijnrood.everything import MEMBER_FILE
from verenigingen.core.mijnrood.parse import display_name
from verenigingen.member_import.messages import message_text
from verenigingen.member_import.source import read_upload


def error_report(doc) -> tuple[str, bytes]:
	"""``(file name, content)``: fix the rows, delete the reason column if you like, upload again."""
	upload = read_upload(doc)
	failures = json.loads(doc.import_failures or "{}")
	rows = []
	for row in upload.parsed.rows:
		if row.errors:
			rows.append(row)
		elif str(row.row_number) in failures:
			rows.append(replace(row, errors=[failures[str(row.row_number)]], warnings=[]))
	content = write_error_report(upload.parsed, rows, translate=message_text)
	return report_filename(upload.parsed.format, upload.filename), content


def report_filename(file_format: str, filename: str) -> str:
	"""``leden - errors.csv``; export-everything's report is an ``admin_member.csv`` to put back."""
	if file_format == FORMAT_EVERYTHING:
		return MEMBER_FILE
	stem = os.path.splitext(display_name(filename))[0]
	extension = ".xlsx" if file_format == FORMAT_XLSX else ".csv"
	return _("{0} - errors").format(stem) + extension
