import json
import os
import tempfile
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils.background_jobs import get_queues_timeout

from verenigingen.permissions import APP_ROLES, MEMBER_ROLE, MEMBER_ROLE_PROFILE
from verenigingen.setup import bulk_queue, install


class TestInstall(FrappeTestCase):
	def test_roles_exist_with_expected_desk_access(self):
		for role in APP_ROLES:
			self.assertTrue(frappe.db.exists("Role", role), role)
		self.assertEqual(frappe.db.get_value("Role", MEMBER_ROLE, "desk_access"), 0)
		self.assertEqual(frappe.db.get_value("Role", "Verenigingen Manager", "desk_access"), 1)

	def test_member_role_profile_holds_member_role(self):
		profile = frappe.get_doc("Role Profile", MEMBER_ROLE_PROFILE)
		self.assertEqual([r.role for r in profile.roles], [MEMBER_ROLE])

	def test_install_steps_are_idempotent(self):
		install.ensure_roles()
		install.ensure_member_role_profile()
		install.ensure_settings()
		self.assertEqual(frappe.db.count("Role Profile", {"name": MEMBER_ROLE_PROFILE}), 1)

	def test_settings_defaults_are_stored(self):
		settings = frappe.get_single("Verenigingen Settings")
		self.assertEqual(settings.bulk_batch_size, 50)
		self.assertEqual(settings.retry_schedule_minutes, "5, 15, 60, 240, 720, 1440")
		self.assertIn(("Verenigingen Manager", MEMBER_ROLE), [(r.requester_role, r.grantable_role) for r in settings.role_grants])

	def test_contact_email_is_indexed_and_stays_indexed_through_a_schema_sync(self):
		self.assertTrue(frappe.db.get_column_index("tabContact Email", "email_id", unique=False))
		install.ensure_contact_email_index()  # idempotent
		self.assertEqual(frappe.db.count("Property Setter", {"doc_type": "Contact Email", "field_name": "email_id",
			"property": "search_index"}), 1)
		frappe.clear_cache(doctype="Contact Email")
		frappe.db.updatedb("Contact Email")  # what migrate does when the DocType changes
		self.assertTrue(frappe.db.get_column_index("tabContact Email", "email_id", unique=False))

	def test_bulk_queue_is_in_common_site_config(self):
		with open(bulk_queue.common_site_config_path()) as f:
			config = json.load(f)
		self.assertIn("bulk", config.get("workers", {}))
		self.assertIn("bulk", get_queues_timeout())

	def test_enqueue_on_bulk_queue_is_accepted(self):
		job = frappe.enqueue("frappe.ping", queue="bulk", job_id=f"verenigingen-ping-{frappe.generate_hash(length=6)}")
		self.assertIn("bulk", job.origin)
		job.cancel()
		job.delete()

	def test_bulk_queue_setup_keeps_other_keys(self):
		original = {"db_host": "10.0.0.1", "workers": {"long2": {"timeout": 10}}, "nested": {"a": [1, 2]}}
		with tempfile.TemporaryDirectory() as tmp:
			path = os.path.join(tmp, "common_site_config.json")
			with open(path, "w") as f:
				json.dump(original, f)
			with patch.object(bulk_queue, "common_site_config_path", return_value=path):
				self.assertTrue(bulk_queue.ensure_bulk_queue_configured(120, 3))
				self.assertFalse(bulk_queue.ensure_bulk_queue_configured(999, 9))
			with open(path) as f:
				written = json.load(f)
		self.assertEqual(written["workers"]["bulk"], {"timeout": 120, "background_workers": 3})
		self.assertEqual(written["workers"]["long2"], {"timeout": 10})
		self.assertEqual({k: v for k, v in written.items() if k != "workers"}, {"db_host": "10.0.0.1", "nested": {"a": [1, 2]}})


class TestJobsOfAnEarlierSite(FrappeTestCase):
	"""A site made again under the same name starts without the dropped site's jobs (no workers run here)."""

	def test_only_this_sites_app_jobs_are_forgotten(self):
		from frappe.utils.background_jobs import get_queue
		from rq.job import Job
		from rq.registry import FailedJobRegistry, StartedJobRegistry

		from verenigingen.shared.queues import forget_jobs_of_an_earlier_site

		queue = get_queue("bulk")
		connection = queue.connection
		site = frappe.local.site
		old = {f"{site}::verenigingen-accounts-BOT-99991-b1": "queued",
			f"{site}::verenigingen-accounts-BOT-99992-b1": "started",
			f"{site}::verenigingen-mandates-BOT-99993-b1": "failed"}
		kept = {f"{site}::not-the-apps-job-99994": "failed", f"another-site.localhost::verenigingen-accounts-BOT-99995-b1": "failed"}
		forget_jobs_of_an_earlier_site()  # what earlier tests of this site left (finished, failed)
		for job_id, state in {**old, **kept}.items():
			job = Job.create(func="builtins.len", args=([],), id=job_id, connection=connection, origin=queue.name)
			job.save()
			if state == "queued":
				connection.rpush(queue.key, job_id)
			else:
				registry = StartedJobRegistry if state == "started" else FailedJobRegistry
				registry(queue=queue).add(job, ttl=600)
		try:
			self.assertEqual(forget_jobs_of_an_earlier_site(), len(old))
			for job_id in old:
				self.assertFalse(Job.exists(job_id, connection=connection), job_id)
				self.assertNotIn(job_id.encode(), connection.lrange(queue.key, 0, -1))
				self.assertNotIn(job_id, StartedJobRegistry(queue=queue).get_job_ids())
			for job_id in kept:
				self.assertTrue(Job.exists(job_id, connection=connection), job_id)
				self.assertIn(job_id, FailedJobRegistry(queue=queue).get_job_ids())
		finally:
			for job_id in {**old, **kept}:
				connection.lrem(queue.key, 0, job_id)
				for registry in (StartedJobRegistry, FailedJobRegistry):
					connection.zrem(registry(queue=queue).key, job_id)
				connection.delete(Job.key_for(job_id))
