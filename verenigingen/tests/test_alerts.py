"""Persisted alerts: one per condition, counted, e-mailed once per cooldown, masked, announced, guarded."""

import json
from datetime import timedelta

import frappe
from frappe.realtime import flush_realtime_log, get_user_room
from frappe.utils import now_datetime
from frappe.utils.background_jobs import get_redis_connection_without_auth

from verenigingen.core.masking import mask_iban
from verenigingen.monitoring import ALERT, alerts
from verenigingen.monitoring.alert_checks import AlertManager
from verenigingen.monitoring.alert_notify import REALTIME_EVENT
from verenigingen.permissions import ADMINISTRATOR_ROLE, MANAGER_ROLE, MEMBER_ROLE
from verenigingen.tests.alert_helpers import (
	AlertTestCase,
	delete_error_logs,
	emails_for,
	open_alerts,
	set_alert_settings,
)
from verenigingen.tests.factories import make_user
from verenigingen.utils import alert_manager as api

IBAN = "NL91ABNA0417164300"
HOURLY = "verenigingen.utils.alert_manager.run_hourly_checks"
DAILY = "verenigingen.utils.alert_manager.run_daily_checks"


class TestRaiseAlert(AlertTestCase):
	def test_same_condition_is_one_alert_counted_and_mailed_once_per_cooldown(self):
		"""Three raises: one alert, three occurrences, one e-mail; after the cooldown a second e-mail."""
		first = alerts.raise_alert("test_storm", "Warning", "first", {"n": 1}, key="a")
		second = alerts.raise_alert("test_storm", "Warning", "second", {"n": 2}, key="a")
		third = alerts.raise_alert("test_storm", "Critical", "third", {"n": 3}, key="a")
		self.assertEqual({first, second, third}, {first})
		doc = frappe.get_doc(ALERT, first)
		self.assertEqual((doc.occurrences, doc.message, doc.severity), (3, "third", "Critical"))
		self.assertEqual(json.loads(doc.context), {"n": 3})
		self.assertLessEqual(doc.first_seen, doc.last_seen)
		self.assertEqual(emails_for(first), 1)
		frappe.db.set_value(ALERT, first, "last_emailed_at", now_datetime() - timedelta(minutes=61))
		alerts.raise_alert("test_storm", "Warning", "fourth", key="a")
		self.assertEqual(emails_for(first), 2)

	def test_other_key_is_another_alert(self):
		"""A different key is a different condition."""
		a = alerts.raise_alert("test_keys", "Warning", "a", key="a")
		b = alerts.raise_alert("test_keys", "Warning", "b", key="b")
		self.assertNotEqual(a, b)
		self.assertEqual(len(open_alerts("test_keys")), 2)

	def test_email_needs_the_minimum_severity_and_recipients(self):
		"""Below the minimum severity, or without recipients, nothing is queued."""
		set_alert_settings(alert_email_min_severity="Critical")
		self.assertEqual(emails_for(alerts.raise_alert("test_min", "Warning", "w")), 0)
		set_alert_settings(alert_email_min_severity="Info", alert_recipients="")
		self.assertEqual(emails_for(alerts.raise_alert("test_min", "Critical", "c", key="c")), 0)

	def test_resolved_condition_seen_again_opens_a_new_alert_but_no_new_mail(self):
		"""Resolve, then the same condition again: a new alert, still inside the e-mail cooldown."""
		first = alerts.raise_alert("test_flap", "Warning", "up")
		self.assertEqual(alerts.resolve_cleared("test_flap", []), [first])
		again = alerts.raise_alert("test_flap", "Warning", "up again")
		self.assertNotEqual(first, again)
		self.assertEqual((emails_for(first), emails_for(again)), (1, 0))

	def test_resolve_cleared_keeps_active_keys(self):
		"""Only the alerts whose key is no longer active are resolved, by the system."""
		kept = alerts.raise_alert("test_clear", "Warning", "kept", key="q1")
		gone = alerts.raise_alert("test_clear", "Warning", "gone", key="q2")
		self.assertEqual(alerts.resolve_cleared("test_clear", ["q1"]), [gone])
		doc = frappe.get_doc(ALERT, gone)
		self.assertEqual(
			(doc.status, doc.resolved_by, doc.open_fingerprint), ("Resolved", "Administrator", None)
		)
		self.assertIsNotNone(doc.resolved_at)
		self.assertEqual([row.name for row in open_alerts("test_clear")], [kept])

	def test_database_refuses_a_second_open_alert_for_a_condition(self):
		"""The unique open fingerprint holds even for code that skips raise_alert's lookup."""
		name = alerts.raise_alert("test_unique", "Warning", "one")
		duplicate = frappe.get_doc(ALERT, name).as_dict()
		duplicate.update({"name": None, "__islocal": 1})
		self.assertRaises(frappe.UniqueValidationError, frappe.get_doc(duplicate).insert)

	def test_context_and_message_are_masked(self):
		"""IBANs in context and message are stored masked; message bodies are dropped."""
		name = alerts.raise_alert(
			"test_mask",
			"Warning",
			f"Mandate for {IBAN}: failed",
			{"iban": IBAN, "detail": {"note": "NL91 ABNA 0417 1643 00"}, "email_body": "Beste Jan"},
		)
		doc = frappe.get_doc(ALERT, name)
		for text in (doc.context, doc.message):
			self.assertNotIn("0417164300", text)
			self.assertNotIn("0417 1643", text)
		self.assertIn(mask_iban(IBAN), doc.message)
		self.assertEqual(json.loads(doc.context)["iban"], mask_iban(IBAN))
		self.assertNotIn("Beste Jan", doc.context)

	def test_new_alert_is_published_to_staff(self):
		"""Opening an alert sends verenigingen_alert to each staff user's room through Redis."""
		staff = make_user(roles=(ADMINISTRATOR_ROLE,), user_type="System User").name
		pubsub = get_redis_connection_without_auth().pubsub()
		pubsub.subscribe("events")
		self.addCleanup(pubsub.close)
		# Wait for Redis to confirm the subscription, so the publish below cannot overtake it.
		self.assertEqual(pubsub.get_message(timeout=10)["type"], "subscribe")
		name = alerts.raise_alert("test_realtime", "Critical", "announce me")
		flush_realtime_log()
		rooms = set()
		deadline = now_datetime() + timedelta(seconds=10)
		while get_user_room(staff) not in rooms and now_datetime() < deadline:
			message = pubsub.get_message(timeout=1)
			if message and message["type"] == "message":
				event = json.loads(message["data"])
				if event["event"] == REALTIME_EVENT and event["message"]["name"] == name:
					rooms.add(event["room"])
		self.assertIn(get_user_room(staff), rooms)


def error_logs(title: str) -> set[str]:
	return set(frappe.get_all("Error Log", {"method": title}, pluck="name"))


class TestRunCheck(AlertTestCase):
	def assert_logged_once(self, title: str, before: set[str] = frozenset()) -> None:
		"""Exactly one new Error Log with this title (removed again: Error Log ignores rollbacks)."""
		logged = error_logs(title) - before
		delete_error_logs(logged)
		self.assertEqual(len(logged), 1)

	def test_failing_check_logs_one_error_and_the_others_run(self):
		"""A check that raises is rolled back and logged once under its name; the next still runs."""
		title = f"test check {frappe.generate_hash(length=8)}"

		def failing():
			alerts.raise_alert("test_rolled_back", "Warning", "written before the failure")
			raise RuntimeError("boom")

		results = alerts.run_checks({title: failing, "after": lambda: {"ran": True}})
		self.assertFalse(results[title]["ok"])
		self.assertIn("boom", results[title]["error"])
		self.assertEqual(results["after"], {"check": "after", "ok": True, "result": {"ran": True}})
		self.assert_logged_once(title)
		self.assertEqual(open_alerts("test_rolled_back"), [])

	def test_check_that_ends_the_transaction_still_reports(self):
		"""A check whose rollback took run_check's savepoint with it is still a successful check."""
		result = alerts.run_check("ends transaction", lambda: frappe.db.rollback() or {"done": True})
		self.assertEqual(result, {"check": "ends transaction", "ok": True, "result": {"done": True}})

		def fails_after_rollback():
			frappe.db.rollback()
			raise RuntimeError("after the rollback")

		title = f"test check {frappe.generate_hash(length=8)}"
		self.assertFalse(alerts.run_check(title, fails_after_rollback)["ok"])
		self.assert_logged_once(title)

	def test_hourly_checks_survive_a_broken_check(self):
		"""With the SEPA check broken, the error-rate and slow-query checks still report."""

		class BrokenSepa(AlertManager):
			def check_sepa_failures(self):
				raise frappe.ValidationError("SEPA check broken on purpose")

		title = "AlertManager.check_sepa_failures"
		before = error_logs(title)
		results = BrokenSepa().run_hourly_checks()
		self.assertEqual([r["ok"] for r in results.values()], [True, True, False])
		self.assert_logged_once(title, before)

	def test_scheduler_entries_are_registered_and_run(self):
		"""hooks.py lists both entries; run as the scheduler does, every check reports ok."""
		events = frappe.get_hooks("scheduler_events")
		for frequency, path, count in (("hourly", HOURLY, 3), ("daily", DAILY, 1)):
			with self.subTest(path=path):
				self.assertIn(path, events[frequency])
				results = frappe.get_attr(path)()
				self.assertEqual(len(results), count)
				self.assertTrue(all(result["ok"] for result in results.values()), results)


class TestAlertPermissions(AlertTestCase):
	def setUp(self):
		super().setUp()
		self.name = alerts.raise_alert("test_permissions", "Warning", "guarded")
		self.outsiders = [
			"Guest",
			make_user(roles=(MEMBER_ROLE,)).name,
			make_user(roles=(), user_type="System User").name,
		]

	def test_outsiders_can_neither_read_nor_handle_alerts(self):
		"""Guest, a member's website user and a System User without app roles are refused."""
		for user in self.outsiders:
			with self.subTest(user=user):
				frappe.set_user(user)
				self.assertRaises(frappe.PermissionError, api.get_active_alerts)
				self.assertRaises(frappe.PermissionError, api.acknowledge_alert, self.name)
				self.assertRaises(frappe.PermissionError, api.resolve_alert, self.name)
				self.assertRaises(frappe.PermissionError, alerts.raise_alert, "test_permissions", "Info", "x")
				frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value(ALERT, self.name, "status"), "Open")

	def test_doctype_permissions_per_role(self):
		"""Create only for the roles app code runs as, delete only System Manager; no New in Desk."""
		self.assertTrue(frappe.get_meta(ALERT).in_create)
		allowed_by_role = {
			"System Manager": {"read", "write", "create", "delete"},
			ADMINISTRATOR_ROLE: {"read", "write", "create"},
			MANAGER_ROLE: {"read"},
			MEMBER_ROLE: set(),
		}
		for role, allowed in allowed_by_role.items():
			user = make_user(roles=(role,), user_type="System User").name
			for ptype in ("read", "write", "create", "delete"):
				with self.subTest(role=role, ptype=ptype):
					self.assertEqual(frappe.has_permission(ALERT, ptype, user=user), ptype in allowed)

	def test_manager_reads_but_does_not_handle(self):
		"""Verenigingen Manager sees active alerts, may not acknowledge, resolve or raise them."""
		frappe.set_user(make_user(roles=(MANAGER_ROLE,), user_type="System User").name)
		self.assertIn(self.name, [row.name for row in api.get_active_alerts()["alerts"]])
		self.assertRaises(frappe.PermissionError, api.acknowledge_alert, self.name)
		self.assertRaises(frappe.PermissionError, api.resolve_alert, self.name)
		self.assertRaises(frappe.PermissionError, alerts.raise_alert, "test_permissions", "Info", "x")

	def test_administrator_role_acknowledges_and_resolves(self):
		"""Verenigingen Administrator acknowledges (stays active), then resolves; both recorded."""
		user = make_user(roles=(ADMINISTRATOR_ROLE,), user_type="System User").name
		frappe.set_user(user)
		self.assertEqual(api.acknowledge_alert(self.name)["status"], "Acknowledged")
		self.assertIn(self.name, [row.name for row in api.get_active_alerts(limit="10")["alerts"]])
		self.assertEqual(api.resolve_alert(self.name)["status"], "Resolved")
		self.assertNotIn(self.name, [row.name for row in api.get_active_alerts()["alerts"]])
		doc = frappe.get_doc(ALERT, self.name)
		self.assertEqual((doc.acknowledged_by, doc.resolved_by), (user, user))
		self.assertRaises(frappe.ValidationError, api.acknowledge_alert, self.name)
		self.assertTrue(alerts.raise_alert("test_permissions", "Info", "staff may raise"))
