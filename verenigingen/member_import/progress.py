"""Storing an import's progress (so a reload shows the truth) and telling open forms about it."""

import frappe
from frappe.utils import get_datetime, now_datetime

from verenigingen.core.bulk_progress import estimate_finish, rate_per_minute
from verenigingen.member_import import DOCTYPE, PROGRESS_EVENT

PUBLISHED_FIELDS = (
	"status",
	"rows_done",
	"total_rows",
	"eta",
	"error_count",
	"created_count",
	"updated_count",
)


def save_progress(import_name: str, values: dict) -> None:
	"""Write counts and progress; the caller commits them together with the chunk they describe."""
	values = dict(values, progress_at=now_datetime())
	frappe.db.set_value(DOCTYPE, import_name, values, update_modified=False)


def expected_finish(started_at, done_this_run: int, remaining: int):
	"""When the remaining rows will be done at this run's pace (None while unknown)."""
	if not started_at:
		return None
	now = now_datetime()
	return estimate_finish(remaining, rate_per_minute(done_this_run, get_datetime(started_at), now), now)


def publish_progress(import_name: str) -> None:
	"""Push the stored figures to forms showing this import (realtime; the form also polls)."""
	row = frappe.db.get_value(DOCTYPE, import_name, PUBLISHED_FIELDS, as_dict=True) or {}
	message = {"import": import_name, **{k: (str(v) if k == "eta" and v else v) for k, v in row.items()}}
	frappe.publish_realtime(PROGRESS_EVENT, message, doctype=DOCTYPE, docname=import_name)
