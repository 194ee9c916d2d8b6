"""``bench verenigingen-status`` as text for a person, in the language set for the command (``_()``)."""

import json

from frappe import _
from frappe.utils import format_datetime

from verenigingen.core.operator_status import OK


def render_text(status: dict) -> str:
	"""The status as a few short sections; the last line says whether an operator is needed."""
	lines = [_("Verenigingen status of {0} at {1}").format(status["site"], when(status["checked_at"])), ""]
	lines += runs_section(status["runs"])
	lines += queues_section(status)
	lines += alerts_section(status)
	lines += import_section(status["last_import"])
	if status["exit_code"] == OK:
		lines.append(_("Nothing needs an operator (exit code 0)."))
	else:
		lines.append(_("Needs an operator (exit code {0}):").format(status["exit_code"]))
		lines += [f"  - {problem['message']}" for problem in status["problems"]]
	return "\n".join(lines)


def runs_section(runs: list[dict]) -> list[str]:
	if not runs:
		return [_("Runs in progress: none"), ""]
	lines = [_("Runs in progress:")]
	for run in runs:
		rate = _("{0} per minute").format(run["rate_per_minute"]) if run["rate_per_minute"] else _("rate unknown")
		eta = _("expected at {0}").format(when(run["eta"])) if run["eta"] else _("finish unknown")
		lines.append(
			"  {0}  {1}  {2}  {3}/{4} ({5})  {6}  {7}".format(
				run["name"], _(run["operation_type"] or ""), _(run["status"]), run["processed"] or 0,
				run["total"] or 0, percent(run["percent"]), rate, eta,
			)
		)
	return [*lines, ""]


def queues_section(status: dict) -> list[str]:
	queues = status["queues"]
	if queues is None:
		return [_("Queues: could not be read"), ""]
	lines = [_("Queues (the whole bench; this site's jobs in brackets):")]
	for name, queue in queues.items():
		site = queue["site"]
		lines.append(
			"  "
			+ _("{0}: {1} queued ({2}), {3} running ({4}), {5} failed ({6}); workers {7}, alive {8}").format(
				name, queue["queued"], site["queued"], queue["started"], site["started"], queue["failed"],
				site["failed"], queue["workers"], queue["workers_alive"],
			)
		)
	lines.append(
		_("Members waiting for a bulk worker: {0}; bulk workers alive: {1}").format(
			status["members_waiting"], status["bulk_workers_alive"]
		)
	)
	return [*lines, ""]


def alerts_section(status: dict) -> list[str]:
	alerts = status["alerts"]
	if not alerts:
		return [_("Open alerts: none"), ""]
	lines = [_("Open alerts ({0} Critical):").format(status["critical_alerts"])]
	for alert in alerts:
		seen = _("last seen {0}").format(when(alert["last_seen"])) if alert.get("last_seen") else ""
		lines.append(
			f"  {_(alert['severity'])}  {alert['alert_type']}  {_(alert['status'])}  "
			f"{alert['occurrences'] or 1}x  {seen}  {alert['message'] or ''}".rstrip()
		)
	return [*lines, ""]


def import_section(row: dict | None) -> list[str]:
	if not row:
		return [_("Last import: none"), ""]
	counts = _("{0} rows: {1} created, {2} updated, {3} unchanged, {4} refused, {5} skipped").format(
		row["total_rows"] or 0, row["created_count"] or 0, row["updated_count"] or 0,
		row["unchanged_count"] or 0, row["error_count"] or 0, row["skipped_count"] or 0,
	)
	finished = when(row["finished_at"]) if row["finished_at"] else "-"
	return [_("Last import: {0}, {1}, finished {2}; {3}").format(row["name"], _(row["status"]), finished, counts), ""]


def when(moment) -> str:
	return format_datetime(moment, "yyyy-MM-dd HH:mm:ss") if moment else "-"


def percent(value) -> str:
	return "-" if value is None else f"{value}%"


def status_json(status: dict) -> str:
	"""The status as JSON: times as ISO 8601 in the site's time zone (``time_zone``), keys sorted."""
	return json.dumps(status, default=iso, indent=1, sort_keys=True)


def iso(value) -> str:
	if hasattr(value, "isoformat"):
		return value.isoformat()
	return str(value)
