"""Alert settings from Verenigingen Settings, with the documented default for a value never saved."""

import frappe

from verenigingen.core.alert_rules import ALERT_SETTING_DEFAULTS

SETTINGS = "Verenigingen Settings"


def alert_setting(fieldname: str):
	"""The saved value; the default when the field was never saved (an explicit 0 stays 0)."""
	value = frappe.db.get_singles_dict(SETTINGS, cast=True).get(fieldname)
	if value is None or value == "":
		return ALERT_SETTING_DEFAULTS.get(fieldname)
	return value
