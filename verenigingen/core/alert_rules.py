"""Alert rules: fingerprints, severity order, e-mail cooldown, thresholds and masked context.

Pure: the current time is passed in; nothing here reads the database or the clock.
"""

import hashlib
import json
import re
from datetime import datetime, timedelta

from verenigingen.core.masking import mask_iban, mask_ibans_in_text

INFO, WARNING, HIGH, CRITICAL = "Info", "Warning", "High", "Critical"
# The one stored vocabulary, least severe first. High sits between Warning and Critical: an
# operator's HIGH is urgent but is not Critical (which degrades the health status and pages).
SEVERITIES = (INFO, WARNING, HIGH, CRITICAL)
# Every accepted spelling (compared lower-cased, surrounding spaces ignored): the stored names
# and the operators' LOW, MEDIUM, HIGH, CRITICAL.
SEVERITY_SPELLINGS = {
	"info": INFO,
	"low": INFO,
	"warning": WARNING,
	"medium": WARNING,
	"high": HIGH,
	"critical": CRITICAL,
}
ACCEPTED_SEVERITIES = "LOW, MEDIUM, HIGH, CRITICAL, Info, Warning, High, Critical"
DEFAULT_EMAIL_MIN_SEVERITY = WARNING
# Verenigingen Settings values used when a field was never saved (the DocType JSON has the same).
ALERT_SETTING_DEFAULTS = {
	"alert_recipients": "",
	"alert_email_min_severity": DEFAULT_EMAIL_MIN_SEVERITY,
	"alert_email_cooldown_minutes": 60,
	"error_log_alert_per_hour": 50,
	"error_log_alert_per_day": 500,
	"slow_query_seconds": 10,
	"sepa_failure_alert_per_hour": 1,
	"churn_alert_per_day": 20,
}
# A count at or above threshold x this factor is Critical rather than Warning.
CRITICAL_FACTOR = 2
# Context keys that may carry a message body: never stored on an alert.
BODY_KEYS = frozenset({"body", "email_body", "message_body", "html", "content"})
REMOVED = "[removed]"
MAX_TEXT_CHARS = 500
_EMAIL = re.compile(r"\b([A-Z0-9._%+-])[A-Z0-9._%+-]*@([A-Z0-9.-]+\.[A-Z]{2,})\b", re.IGNORECASE)


def fingerprint(alert_type: str, key: str = "") -> str:
	"""One stable id per condition: the same type and key always give the same fingerprint."""
	text = f"{alert_type.strip()}\x1f{(key or '').strip()}"
	return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def normalise_severity(severity) -> str:
	"""The stored severity for any accepted spelling: LOW -> Info, MEDIUM -> Warning, HIGH -> High,
	CRITICAL -> Critical, the stored names themselves, in any case; anything else raises ValueError."""
	stored = SEVERITY_SPELLINGS.get(severity.strip().lower()) if isinstance(severity, str) else None
	if stored is None:
		raise ValueError(f"unknown severity {severity!r}; use one of {ACCEPTED_SEVERITIES} (any case)")
	return stored


def severity_rank(severity: str) -> int:
	"""Info 0, Warning 1, High 2, Critical 3, for any accepted spelling; unknown raises ValueError."""
	return SEVERITIES.index(normalise_severity(severity))


def count_by_severity(counts: dict) -> dict[str, int]:
	"""Counts per stored severity, every one present (0 when none), least severe first; a count
	under another spelling (``HIGH``, written outside the app) is added to its stored name, one that
	is no severity at all is left out."""
	total = dict.fromkeys(SEVERITIES, 0)
	for severity, count in counts.items():
		try:
			total[normalise_severity(severity)] += int(count or 0)
		except ValueError:
			continue
	return total


def at_least(severity: str, minimum: str) -> bool:
	"""True when ``severity`` is as severe as ``minimum`` or more."""
	return severity_rank(severity) >= severity_rank(minimum or DEFAULT_EMAIL_MIN_SEVERITY)


def cooldown_over(last_emailed_at: datetime | None, now: datetime, cooldown_minutes: int) -> bool:
	"""True when no e-mail went out for this condition within the last ``cooldown_minutes``."""
	if last_emailed_at is None:
		return True
	return now - last_emailed_at >= timedelta(minutes=max(int(cooldown_minutes or 0), 0))


def should_email(
	severity: str,
	minimum: str,
	last_emailed_at: datetime | None,
	now: datetime,
	cooldown_minutes: int,
	has_recipients: bool = True,
) -> bool:
	"""E-mail an alert: there is someone to tell, it is severe enough, and the cooldown is over."""
	return (
		has_recipients
		and at_least(severity, minimum)
		and cooldown_over(last_emailed_at, now, cooldown_minutes)
	)


def threshold_crossed(value: float | None, threshold: float | None) -> bool:
	"""A value at or above its threshold; a threshold of 0 or empty switches the check off."""
	if value is None or not threshold or threshold <= 0:
		return False
	return value >= threshold


def threshold_undercut(value: float | None, threshold: float | None) -> bool:
	"""A value below its minimum (rates, success percentages); 0 or empty switches it off."""
	if value is None or not threshold or threshold <= 0:
		return False
	return value < threshold


def severity_for_count(value: float, threshold: float, base: str = WARNING) -> str:
	"""``base`` for a crossed threshold, Critical from CRITICAL_FACTOR times the threshold."""
	if threshold and value >= threshold * CRITICAL_FACTOR:
		return CRITICAL
	return normalise_severity(base)


def parse_recipients(text: str | None) -> list[str]:
	"""Recipients typed one per line or comma/semicolon separated; duplicates dropped."""
	seen: dict[str, None] = {}
	for part in re.split(r"[,;\n\r]+", text or ""):
		address = part.strip()
		if address and "@" in address:
			seen.setdefault(address.lower(), None)
	return list(seen)


def mask_email(text: str) -> str:
	"""``jan.jansen@example.nl`` -> ``j***@example.nl`` in free text (SQL, messages)."""
	return _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", str(text or ""))


def mask_text(text: str, limit: int = MAX_TEXT_CHARS) -> str:
	"""Free text fit for an alert: IBANs and e-mail addresses masked, cut at ``limit`` characters."""
	masked = mask_email(mask_ibans_in_text(text))
	return masked if len(masked) <= limit else masked[: limit - 1] + "…"


def mask_context(value, key: str = ""):
	"""A copy of ``value`` with IBANs masked everywhere and message bodies removed."""
	lowered = key.lower()
	if lowered in BODY_KEYS:
		return REMOVED
	if isinstance(value, dict):
		return {str(k): mask_context(v, str(k)) for k, v in value.items()}
	if isinstance(value, list | tuple | set):
		return [mask_context(item, key) for item in value]
	if isinstance(value, str):
		return mask_iban(value) if "iban" in lowered and value.strip() else mask_ibans_in_text(value)
	if value is None or isinstance(value, bool | int | float):
		return value
	return mask_ibans_in_text(str(value))


def context_json(context: dict | None) -> str:
	"""Masked context as stable, readable JSON ("{}" for none)."""
	return json.dumps(mask_context(context or {}), indent=1, sort_keys=True, default=str, ensure_ascii=False)


def version_sets(version_data: str | None, fieldname: str, value: str) -> bool:
	"""True when a Frappe Version's ``data`` JSON records ``fieldname`` changing to ``value``."""
	try:
		changed = json.loads(version_data or "{}").get("changed") or []
	except (ValueError, AttributeError):
		return False
	return any(
		isinstance(row, list)
		and len(row) == 3
		and row[0] == fieldname
		and row[2] == value
		and row[1] != value
		for row in changed
	)
