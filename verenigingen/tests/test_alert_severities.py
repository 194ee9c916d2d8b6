"""Alert severities as operators write them: the deployment checklist's line, settings, API, metrics."""

import json
import re
from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase
from prometheus_client.parser import text_string_to_metric_families

from verenigingen.core import alert_rules
from verenigingen.monitoring import ALERT, alerts
from verenigingen.monitoring.metrics import exposition
from verenigingen.tests.alert_helpers import AlertTestCase, emails_for, open_alerts, set_alert_settings
from verenigingen.utils import alert_manager as api

MANUAL = Path(frappe.get_app_path("verenigingen")).parent / "docs" / "monitoring" / "OPERATIONS_MANUAL.md"
SETTINGS = "Verenigingen Settings"


def checklist_block() -> str:
	"""The Python block of the manual's deployment checklist that sends the test alert."""
	text = MANUAL.read_text(encoding="utf-8")
	section = text[text.index("## Deployment checklist") :]
	section = section[: section.index("\n## ", 1)]
	blocks = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
	block = next(block for block in blocks if "send_alert(" in block)
	return "\n".join(line.strip() for line in block.splitlines())


class TestDeploymentChecklistLine(FrappeTestCase):
	"""Not an AlertTestCase: the block commits, and must not commit that class's test settings."""

	def setUp(self):
		frappe.set_user("Administrator")
		self.before = set(frappe.get_all(ALERT, {"alert_type": "TEST"}, pluck="name"))
		for name in frappe.get_all(ALERT, {"alert_type": "TEST", "status": ("!=", "Resolved")}, pluck="name"):
			alerts.resolve(name)  # so the block opens a new alert rather than counting on an old one

	def tearDown(self):
		# The block commits, as an operator in bench console must: remove what it stored.
		created = set(frappe.get_all(ALERT, {"alert_type": "TEST"}, pluck="name")) - self.before
		if created:
			frappe.db.delete(ALERT, {"name": ("in", list(created))})
		frappe.db.commit()

	def test_the_documented_block_stores_an_info_alert(self):
		"""The manual's block, run as written, stores one Open alert of severity Info (LOW)."""
		block = checklist_block()
		self.assertIn('AlertManager().send_alert("TEST", "LOW", "Deployment test alert"', block)
		exec(compile(block, str(MANUAL), "exec"), {"frappe": frappe})  # noqa: S102 - our own manual
		rows = open_alerts("TEST")
		self.assertEqual(len(rows), 1)
		row = rows[0]
		self.assertEqual((row.severity, row.message, row.status), ("Info", "Deployment test alert", "Open"))
		self.assertEqual(json.loads(row.context), {"deployment": "success"})
		self.assertNotIn(row.name, self.before)


class TestSeveritySpellings(AlertTestCase):
	def test_every_spelling_is_stored_in_one_vocabulary(self):
		"""LOW/MEDIUM/HIGH/CRITICAL and the stored names, any case: one stored name each."""
		cases = {"low": "Info", "Medium": "Warning", "HIGH": "High", "critical": "Critical", "WARNING": "Warning",
			"info": "Info", "High": "High"}
		for number, (spelling, stored) in enumerate(cases.items()):
			with self.subTest(spelling=spelling):
				name = alerts.raise_alert("test_spelling", spelling, "spelled", key=str(number))
				self.assertEqual(frappe.db.get_value(ALERT, name, "severity"), stored)

	def test_bad_severity_is_refused_and_nothing_is_stored(self):
		for bad in ("Fatal", "", None, "hoog"):
			with self.subTest(bad=bad):
				with self.assertRaises(ValueError) as error:
					api.AlertManager().send_alert("test_bad_severity", bad, "never stored")
				self.assertIn("LOW, MEDIUM, HIGH, CRITICAL", str(error.exception))
		self.assertEqual(open_alerts("test_bad_severity"), [])

	def test_high_is_mailed_at_a_high_minimum_and_warning_is_not(self):
		"""High sits between Warning and Critical in the e-mail rule; the minimum may be written MEDIUM/HIGH."""
		set_alert_settings(alert_email_min_severity="High")
		self.assertEqual(emails_for(alerts.raise_alert("test_high_mail", "MEDIUM", "w", key="w")), 0)
		self.assertEqual(emails_for(alerts.raise_alert("test_high_mail", "HIGH", "h", key="h")), 1)

	def test_settings_store_the_minimum_in_the_stored_vocabulary(self):
		"""Saving the settings with MEDIUM or high stores Warning or High; a bad one is refused."""
		settings = frappe.get_doc(SETTINGS)
		for spelling, stored in (("MEDIUM", "Warning"), ("high", "High"), ("LOW", "Info"), ("", "Warning")):
			with self.subTest(spelling=spelling):
				settings.alert_email_min_severity = spelling
				settings.save()
				self.assertEqual(frappe.db.get_single_value(SETTINGS, "alert_email_min_severity"), stored)
		settings.alert_email_min_severity = "urgent"
		self.assertRaises(frappe.ValidationError, settings.save)

	def test_api_filters_by_minimum_severity_in_any_spelling(self):
		"""get_active_alerts(min_severity=...) keeps that level and above; with first and last seen."""
		names = {level: alerts.raise_alert("test_api_severity", level, level, key=level)
			for level in alert_rules.SEVERITIES}
		rows = api.get_active_alerts(limit="500", min_severity="high")
		self.assertEqual(rows["min_severity"], "High")
		mine = [row for row in rows["alerts"] if row.alert_type == "test_api_severity"]
		self.assertEqual([row.name for row in mine], [names["Critical"], names["High"]])
		stored = frappe.db.get_value(ALERT, names["High"], ["first_seen", "last_seen"], as_dict=True)
		self.assertEqual((mine[1].first_seen, mine[1].last_seen), (stored.first_seen, stored.last_seen))
		self.assertRaises(frappe.ValidationError, api.get_active_alerts, min_severity="severe")

	def test_prometheus_has_one_label_per_stored_severity(self):
		"""verenigingen_alerts_open carries Info, Warning, High and Critical and counts a HIGH alert as High."""
		before = self.open_by_severity()
		alerts.raise_alert("test_metrics_severity", "HIGH", "high one")
		after = self.open_by_severity()
		self.assertEqual(set(after), set(alert_rules.SEVERITIES))
		self.assertEqual(after["High"], before["High"] + 1)

	@staticmethod
	def open_by_severity() -> dict[str, float]:
		families = text_string_to_metric_families(exposition().decode())
		family = next(f for f in families if f.name == "verenigingen_alerts_open")
		return {sample.labels["severity"]: sample.value for sample in family.samples}
