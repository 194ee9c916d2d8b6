"""Arguments of whitelisted methods arrive as strings over HTTP: parse them in one place."""

import json

import frappe
from frappe import _

from verenigingen.core.alert_rules import ACCEPTED_SEVERITIES, normalise_severity


def parse_list(value, label: str) -> list[str]:
	"""A list given as a list, a JSON array string, or a comma separated string."""
	if value in (None, "", "null"):
		return []
	if isinstance(value, str):
		text = value.strip()
		if text.startswith("["):
			try:
				value = json.loads(text)
			except ValueError:
				frappe.throw(_("{0} is not a valid JSON list").format(label))
		else:
			value = [part for part in text.split(",")]
	if not isinstance(value, list | tuple):
		frappe.throw(_("{0} must be a list").format(label))
	return [str(item).strip() for item in value if str(item).strip()]


def parse_int(value, label: str, minimum: int = 1) -> int | None:
	if value in (None, "", "null"):
		return None
	try:
		number = int(value)
	except (TypeError, ValueError):
		frappe.throw(_("{0} must be a whole number").format(label))
	if number < minimum:
		frappe.throw(_("{0} must be at least {1}").format(label, minimum))
	return number


def parse_bool(value) -> bool | None:
	if value in (None, "", "null"):
		return None
	if isinstance(value, str):
		return value.strip().lower() in ("1", "true", "yes", "on")
	return bool(value)


def parse_choice(value, choices: tuple[str, ...], label: str, default: str) -> str:
	value = value or default
	if value not in choices:
		frappe.throw(_("{0} must be one of {1}").format(label, ", ".join(choices)))
	return value


def parse_severity(value, label: str) -> str | None:
	"""An alert severity in any accepted spelling (LOW, MEDIUM, HIGH, CRITICAL, Info, ...) as stored."""
	if value in (None, "", "null"):
		return None
	try:
		return normalise_severity(value)
	except ValueError:
		frappe.throw(
			_("{0}: unknown severity {1}; use one of {2} (any case)").format(label, repr(value), ACCEPTED_SEVERITIES)
		)
