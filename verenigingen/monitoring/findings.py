"""Findings of the queue and performance checks become alerts: one sentence each, raised and resolved."""

import frappe
from frappe import _

from verenigingen.core import performance, queue_health
from verenigingen.core.queue_health import Finding
from verenigingen.monitoring import alerts


def message(finding: Finding) -> str:
	"""The alert's sentence for a finding (figures only: names of queues and trackers, counts)."""
	f = finding.figures
	sentences = {
		queue_health.BACKLOG_WITHOUT_WORKERS: lambda: _(
			"{0} jobs wait on the bulk queue and no worker serves it"
		).format(f["queued"]),
		queue_health.STUCK_JOBS: lambda: _(
			"Bulk queue: {0} stuck jobs and {1} requests stuck in Processing"
		).format(f["jobs"], f["requests"]),
		queue_health.FAILED_JOBS: lambda: _("{0} bulk jobs failed in the last 24 hours").format(f["failed"]),
		queue_health.WORKERS_BELOW_CONFIGURED: lambda: _("{0} bulk workers run, {1} are configured").format(
			f["workers"], f["configured"]
		),
		queue_health.MEMBERS_WAITING: lambda: _("{0} members wait for an account (alert above {1})").format(
			f["waiting"], f["limit"]
		),
		queue_health.QUEUE_LENGTH: lambda: _("{0} jobs wait on queue {1} (alert above {2})").format(
			f["queued"], finding.key, f["limit"]
		),
		performance.SUCCESS_RATE_LOW: lambda: _(
			"Bulk run {0}: {1}% of finished attempts succeeded (alert below {2}%)"
		).format(finding.key, f["success_rate"], f["limit"]),
		performance.COMPLETION_SLOW: lambda: _("Bulk run {0} has taken {1} hours (alert above {2})").format(
			finding.key, f["hours"], f["limit"]
		),
		performance.RATE_LOW: lambda: rate_sentence(finding),
	}
	return sentences[finding.alert_type]()


def rate_sentence(finding: Finding) -> str:
	"""A slow run in its own unit: accounts for an account run, mandates for a mandate run."""
	f = finding.figures
	operation_type = f.get("operation_type", performance.ACCOUNT_CREATION)
	if operation_type == performance.ACCOUNT_CREATION:
		text = _("Bulk run {0}: {1} accounts per minute (alert below {2})")
	elif operation_type == performance.MANDATE_CREATION:
		text = _("Mandate run {0}: {1} mandates per minute (alert below {2})")
	else:
		return _("Bulk run {0} ({1}): {2} processed per minute (alert below {3})").format(
			finding.key, _(operation_type), f["rate"], f["limit"]
		)
	return text.format(finding.key, f["rate"], f["limit"])


def publish(findings: list[Finding], owned_types: tuple[str, ...]) -> dict:
	"""Raise an alert per finding and resolve this check's alerts whose condition cleared."""
	raised = [
		alerts.raise_alert(
			finding.alert_type, finding.severity, message(finding), finding.figures, key=finding.key
		)
		for finding in findings
	]
	resolved = []
	for alert_type in owned_types:
		resolved += alerts.resolve_cleared(
			alert_type, [f.key for f in findings if f.alert_type == alert_type]
		)
	return {"raised": raised, "resolved": resolved}


def setting(fieldname: str, default):
	"""A monitoring setting; its documented default when it was never saved (0 stays 0)."""
	# get_single_value casts a never-saved Int to 0; the stored dict leaves it out instead.
	value = frappe.db.get_singles_dict("Verenigingen Settings", cast=True).get(fieldname)
	return default if value is None or value == "" else value
