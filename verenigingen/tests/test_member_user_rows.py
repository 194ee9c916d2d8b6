"""A member account written as plain rows leaves the database exactly as Frappe's User.insert does.

The same member is made twice in one transaction, once through Frappe's ``User.insert`` (with the
app's side-effect handling, as a run on a site with listeners makes it) and once through
``member_user_rows``, rolled back to a savepoint in between. Every table's row count must change
the same way, and the rows of the User, its children, Contact, share, comment, settings,
defaults and follows must be equal but for what is random or a moment (hash names, timestamps,
the social login id).
"""

import frappe
from frappe.tests.utils import FrappeTestCase

from verenigingen.account_creation import member_user_rows
from verenigingen.account_creation.errors import WorkerRace
from verenigingen.account_creation.user_factory import new_member_user, quiet_user_side_effects
from verenigingen.permissions import MEMBER_ROLE, MEMBER_ROLE_PROFILE
from verenigingen.tests.factories import make_staff_user, no_user_throttle, unique_suffix

RANDOM_OR_MOMENT = {"name", "creation", "modified", "userid"}


def table_counts() -> dict[str, int]:
	tables = frappe.db.sql_list(
		"select table_name from information_schema.tables where table_schema = database() and table_type = 'BASE TABLE'"
	)
	return {table: frappe.db.sql(f"select count(*) from `{table}`")[0][0] for table in tables}


def rows_of(email: str) -> dict[str, list[dict]]:
	"""Every row a new User makes, by table, without what is random or a moment."""
	contacts = frappe.get_all("Contact", filters={"user": email}, pluck="name")
	queries = {
		"User": ("User", {"name": email}),
		"Has Role": ("Has Role", {"parent": email, "parenttype": "User"}),
		"User Social Login": ("User Social Login", {"parent": email}),
		"Notification Settings": ("Notification Settings", {"name": email}),
		"DocShare": ("DocShare", {"share_name": email}),
		"Comment": ("Comment", {"reference_name": email}),
		"Contact": ("Contact", {"user": email}),
		"Contact Email": ("Contact Email", {"parent": ("in", contacts or [""])}),
		"Contact Phone": ("Contact Phone", {"parent": ("in", contacts or [""])}),
		"Dynamic Link": ("Dynamic Link", {"parent": ("in", contacts or [""])}),
		"DefaultValue": ("DefaultValue", {"parent": email}),
		"Document Follow": ("Document Follow", {"ref_docname": email}),
		"Version": ("Version", {"docname": email}),
	}
	found = {}
	for label, (doctype, filters) in queries.items():
		rows = frappe.get_all(doctype, filters=filters, fields=["*"], order_by="name")
		found[label] = sorted(
			({k: v for k, v in row.items() if k not in RANDOM_OR_MOMENT and not k.startswith("_")} for row in rows),
			key=repr,
		)
	found["Contact names"] = contacts
	return found


class TestMemberUserRows(FrappeTestCase):
	def setUp(self):
		if not member_user_rows.plain_rows_allowed():
			self.skipTest(f"this site listens to new Users' rows: {member_user_rows.listeners()[:3]}")
		self.manager = make_staff_user()
		self.suffix = unique_suffix()

	def tearDown(self):
		frappe.set_user("Administrator")

	def written_both_ways(self, email: str, first: str, middle: str | None, last: str):
		"""(rows, count changes) after Frappe's insert, then after the plain rows, of the same member."""
		results = []
		for write in (self.frappes_insert, member_user_rows.insert_member_user):
			frappe.db.savepoint("both_ways")
			before = table_counts()
			frappe.set_user(self.manager.name)
			with quiet_user_side_effects():
				user = write(email, first, middle, last, [MEMBER_ROLE], MEMBER_ROLE_PROFILE)
			frappe.set_user("Administrator")
			self.assertIsNotNone(user)
			after = table_counts()
			results.append((rows_of(email), {t: after[t] - before[t] for t in after if after[t] != before.get(t)}))
			frappe.db.rollback(save_point="both_ways")
		return results

	@staticmethod
	def frappes_insert(*args):
		return new_member_user(*args)

	def test_a_member_account_is_the_same_rows_as_frappes_insert(self):
		email = f"maria.{self.suffix}@example.nl"
		(frappe_rows, frappe_counts), (plain_rows, plain_counts) = self.written_both_ways(
			email, "Maria", "de", f"Jong {self.suffix}"
		)
		self.assertEqual(frappe_counts, plain_counts)
		for table in frappe_rows:
			self.assertEqual(frappe_rows[table], plain_rows[table], table)
		self.assertEqual(len(plain_rows["User"]), 1)
		self.assertEqual(len(plain_rows["Contact"]), 1)
		self.assertEqual(len(plain_rows["DocShare"]), 1)
		self.assertIn(MEMBER_ROLE, {row["role"] for row in plain_rows["Has Role"]})

	def test_a_namesake_gets_the_same_contact_name_and_no_username_either_way(self):
		last, given = f"Jong {self.suffix}", f"Maria{self.suffix}"  # a first name no earlier User took
		frappe.set_user(self.manager.name)
		with quiet_user_side_effects(), no_user_throttle():
			first = new_member_user(f"maria.a.{self.suffix}@example.nl", given, "de", last, [MEMBER_ROLE],
				MEMBER_ROLE_PROFILE)
		frappe.set_user("Administrator")
		for number in (9, 10):  # numbered by length, then by name: -10 is the highest, not -9
			frappe.get_doc({"doctype": "Contact", "first_name": given, "last_name": last}).insert(
				set_name=f"{given} {last}-{number}")
		(frappe_rows, frappe_counts), (plain_rows, plain_counts) = self.written_both_ways(
			f"maria.b.{self.suffix}@example.nl", given, "de", last
		)
		self.assertEqual(frappe_counts, plain_counts)
		for table in frappe_rows:
			self.assertEqual(frappe_rows[table], plain_rows[table], table)
		self.assertEqual(plain_rows["Contact names"], [f"{given} {last}-11"])
		self.assertTrue(first.username)
		self.assertFalse(plain_rows["User"][0]["username"], "the first name's username was taken: none, as Frappe does")

	def test_an_email_taken_meanwhile_is_a_race_to_run_again(self):
		email = f"race.{self.suffix}@example.nl"
		frappe.set_user(self.manager.name)
		with quiet_user_side_effects(), no_user_throttle():
			new_member_user(email, "Race", None, "Lid", [MEMBER_ROLE], MEMBER_ROLE_PROFILE)
			with self.assertRaises(WorkerRace):
				member_user_rows.insert_member_user(email, "Race", None, "Lid", [MEMBER_ROLE], MEMBER_ROLE_PROFILE)

	def test_a_listener_sends_accounts_through_frappes_insert(self):
		webhook = frappe.get_doc({"doctype": "Webhook", "webhook_doctype": "User", "webhook_docevent": "after_insert",
			"request_url": "http://127.0.0.1:9/hook", "enabled": 1}).insert(set_name=f"Test hook {self.suffix}")
		self.assertIn(f"Webhook {webhook.name}", member_user_rows.listeners())
		webhook.db_set("enabled", 0)
		self.assertNotIn(f"Webhook {webhook.name}", member_user_rows.listeners())

	def test_a_staff_member_who_follows_created_documents_gets_frappes_insert(self):
		frappe.db.set_value("User", self.manager.name, "follow_created_documents", 1)
		frappe.clear_cache(user=self.manager.name)
		frappe.set_user(self.manager.name)
		with quiet_user_side_effects():
			user = member_user_rows.insert_member_user(f"volg.{self.suffix}@example.nl", "Volg", None, "Lid",
				[MEMBER_ROLE], MEMBER_ROLE_PROFILE)
		self.assertIsNone(user)
		self.assertFalse(frappe.db.exists("User", f"volg.{self.suffix}@example.nl"))
