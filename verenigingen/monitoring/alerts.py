"""Persisted alerts: one open alert per condition, counted, e-mailed within a cooldown, resolved when clear.

A condition is ``(alert_type, key)``; its fingerprint is stored twice: ``fingerprint`` always, and
``open_fingerprint`` (a unique column) only while the alert is Open or Acknowledged, so the database
itself refuses a second open alert for the same condition, also when two checks race.

Alerts are written with the caller's permissions. Verenigingen Alert grants create and write to
System Manager and Verenigingen Administrator (the scheduler and ``bench execute`` run as
Administrator); ``in_create`` keeps the New button out of Desk, so only app code creates them.
"""

from collections.abc import Callable

import frappe
from frappe import _
from frappe.utils import now_datetime

from verenigingen.core import alert_rules
from verenigingen.monitoring import ALERT
from verenigingen.monitoring.alert_notify import email_if_due, publish_opened

ACTIVE_STATUSES = ("Open", "Acknowledged")
# Auto-resolution is done by the system, whoever ran the check that saw the condition clear.
SYSTEM_USER = "Administrator"
ACTIVE_FIELDS = [
	"name",
	"alert_type",
	"alert_key",
	"severity",
	"status",
	"message",
	"first_seen",
	"last_seen",
	"occurrences",
	"acknowledged_by",
	"acknowledged_at",
]


def raise_alert(
	alert_type: str, severity: str, message: str, context: dict | None = None, key: str = ""
) -> str:
	"""Open an alert for the condition, or count one more occurrence of the open one; return its name.

	``severity`` in any accepted spelling (LOW, MEDIUM, HIGH, CRITICAL or the stored names, any case)
	is stored as Info, Warning, High or Critical; anything else raises ValueError.
	"""
	severity = alert_rules.normalise_severity(severity)
	key = str(key or "")
	fingerprint = alert_rules.fingerprint(alert_type, key)
	values = {
		"severity": severity,
		"message": alert_rules.mask_text(message, 1000),
		"context": alert_rules.context_json(context),
		"last_seen": now_datetime(),
	}
	name = frappe.db.get_value(ALERT, {"open_fingerprint": fingerprint}, "name")
	if name:
		doc = _bump(name, values)
	else:
		doc = _insert(alert_type, key, fingerprint, values)
	email_if_due(doc)
	return doc.name


def _insert(alert_type: str, key: str, fingerprint: str, values: dict):
	doc = frappe.new_doc(ALERT)
	doc.update(
		{
			**values,
			"alert_type": alert_type,
			"alert_key": key,
			"fingerprint": fingerprint,
			"open_fingerprint": fingerprint,
			"status": "Open",
			"first_seen": values["last_seen"],
			"occurrences": 1,
		}
	)
	frappe.db.savepoint("verenigingen_alert_insert")
	try:
		doc.insert()
	except (frappe.UniqueValidationError, frappe.DuplicateEntryError):
		# Another check opened the same condition between our read and insert: count on that one.
		frappe.db.rollback(save_point="verenigingen_alert_insert")
		frappe.clear_last_message()
		return _bump(frappe.db.get_value(ALERT, {"open_fingerprint": fingerprint}, "name"), values)
	publish_opened(doc)
	return doc


def _bump(name: str, values: dict):
	doc = frappe.get_doc(ALERT, name, for_update=True)
	doc.update(values)
	doc.occurrences = (doc.occurrences or 0) + 1
	doc.save()
	return doc


def resolve_cleared(alert_type: str, active_keys) -> list[str]:
	"""Resolve the open alerts of ``alert_type`` whose key is no longer active; return their names."""
	keys = {str(key) for key in (active_keys or ())}
	rows = frappe.get_all(
		ALERT,
		filters={"alert_type": alert_type, "status": ("in", ACTIVE_STATUSES)},
		fields=["name", "alert_key"],
	)
	cleared = [row.name for row in rows if (row.alert_key or "") not in keys]
	for name in cleared:
		_close(name, SYSTEM_USER)
	return cleared


def acknowledge(name: str) -> dict:
	"""Someone is on it: the alert stays active (and counted) but no longer Open."""
	doc = frappe.get_doc(ALERT, name, for_update=True)
	doc.check_permission("write")
	if doc.status == "Resolved":
		frappe.throw(_("Alert {0} is already resolved").format(name))
	doc.update(
		{"status": "Acknowledged", "acknowledged_by": frappe.session.user, "acknowledged_at": now_datetime()}
	)
	doc.save()
	return _summary(doc)


def resolve(name: str) -> dict:
	"""Close the alert by hand; the same condition seen again opens a new alert."""
	doc = frappe.get_doc(ALERT, name)
	doc.check_permission("write")
	return _summary(_close(name, frappe.session.user))


def _close(name: str, user: str):
	doc = frappe.get_doc(ALERT, name, for_update=True)
	if doc.status != "Resolved":
		doc.update(
			{
				"status": "Resolved",
				"resolved_by": user,
				"resolved_at": now_datetime(),
				"open_fingerprint": None,
			}
		)
		doc.save()
	return doc


def active_alerts(limit: int = 50, min_severity: str | None = None) -> list[dict]:
	"""Open and Acknowledged alerts the user may read, with first and last seen: most severe first,
	then most recently seen. ``min_severity`` (any accepted spelling) leaves out the less severe."""
	filters = {"status": ("in", ACTIVE_STATUSES)}
	if min_severity:
		filters["severity"] = ("in", alert_rules.SEVERITIES[alert_rules.severity_rank(min_severity) :])
	rows = frappe.get_list(
		ALERT,
		filters=filters,
		fields=ACTIVE_FIELDS,
		order_by="last_seen desc",
		limit_page_length=limit,
	)
	return sorted(with_seen_times(rows), key=lambda row: -alert_rules.severity_rank(row.severity))


def with_seen_times(rows: list[dict]) -> list[dict]:
	"""The rows with their first_seen and last_seen, read here.

	Frappe's get_list drops every field whose name contains "_seen" from a DocType without its own
	``_seen`` column (DatabaseQuery.set_optional_columns). The rows were read with the user's
	permissions already; this only adds two columns of the same rows.
	"""
	if not rows:
		return rows
	alert = frappe.qb.DocType(ALERT)
	seen = {
		row.name: row
		for row in frappe.qb.from_(alert)
		.select(alert.name, alert.first_seen, alert.last_seen)
		.where(alert.name.isin([row.name for row in rows]))
		.run(as_dict=True)
	}
	for row in rows:
		row.first_seen, row.last_seen = seen[row.name].first_seen, seen[row.name].last_seen
	return rows


def _summary(doc) -> dict:
	return {field: doc.get(field) for field in ACTIVE_FIELDS}


def run_check(name: str, check: Callable[[], object]) -> dict:
	"""Run one check; a failure is rolled back, logged once with the check's name as title, reported."""
	savepoint = f"verenigingen_check_{frappe.generate_hash(length=10)}"
	frappe.db.savepoint(savepoint)
	try:
		result = check()
	except Exception as error:  # noqa: BLE001 - any failure of one check must not stop the others
		_rollback_to(savepoint)
		frappe.log_error(title=name)
		return {"check": name, "ok": False, "error": alert_rules.mask_text(repr(error))}
	_release(savepoint)
	return {"check": name, "ok": True, "result": result}


def run_checks(checks: dict[str, Callable[[], object]]) -> dict[str, dict]:
	"""Run every check in order, whatever the others do; results by check name."""
	return {name: run_check(name, check) for name, check in checks.items()}


# A commit or rollback inside the check, or a deadlock, ends the transaction and its savepoints:
# MariaDB then answers "SAVEPOINT ... does not exist" (an OperationalError).


def _release(savepoint: str) -> None:
	try:
		frappe.db.release_savepoint(savepoint)
	except frappe.db.OperationalError:
		pass


def _rollback_to(savepoint: str) -> None:
	try:
		frappe.db.rollback(save_point=savepoint)
	except frappe.db.OperationalError:
		frappe.db.rollback()
