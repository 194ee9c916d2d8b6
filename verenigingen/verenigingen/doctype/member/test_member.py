# Copyright (c) 2026, Verenigingen developers and contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from verenigingen.permissions import MANAGER_ROLE
from verenigingen.tests.factories import make_member, make_user, unique_suffix


# ERPNext DocTypes the app links to through Custom Fields (verenigingen/setup/erpnext_fields.py):
# no ERPNext test records for them.
test_ignore = ["Customer", "Company", "Item", "Account", "Cost Center", "Customer Group", "Territory"]

class TestMember(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_full_name_is_composed_dutch_style(self):
		member = make_member(first_name=" Jan ", tussenvoegsel="van  der", last_name="Berg")
		self.assertEqual(member.full_name, "Jan van der Berg")
		self.assertEqual(member.tussenvoegsel, "van der")

	def test_full_name_without_tussenvoegsel(self):
		self.assertEqual(make_member(first_name="Zoë", last_name="Öztürk").full_name, "Zoë Öztürk")

	def test_named_by_member_id(self):
		member_id = f"9{frappe.generate_hash(length=6)}"
		self.assertEqual(make_member(member_id=member_id).name, member_id)

	def test_named_by_series_without_member_id(self):
		self.assertTrue(make_member(member_id="").name.startswith("MEM-"))

	def test_email_is_unique_ignoring_case(self):
		email = f"dup.{unique_suffix()}@example.nl"
		make_member(email=email)
		with self.assertRaises(frappe.UniqueValidationError):
			make_member(email=email.upper())

	def test_a_new_or_changed_iban_must_be_valid_and_is_stored_compact(self):
		member = make_member(iban="nl91 abna 0417 1643 00")
		self.assertEqual(member.iban, "NL91ABNA0417164300")
		member.iban = "NL91ABNA0417164301"
		with self.assertRaises(frappe.ValidationError) as caught:
			member.save()
		self.assertIn("NL91****4301", str(caught.exception))  # masked in the message
		self.assertIn("check digits do not match", str(caught.exception))
		self.assertNotIn("0417", str(caught.exception))
		member.reload()
		self.assertEqual(member.iban, "NL91ABNA0417164300")
		with self.assertRaises(frappe.ValidationError):
			make_member(iban="NL91ABNA041716430")  # one digit short

	def test_an_unchanged_iban_from_before_the_check_still_saves(self):
		member = make_member()
		frappe.db.set_value("Member", member.name, "iban", "NL00BANK0000000000")
		member.reload()
		member.first_name = "Anouk"
		member.save()
		self.assertEqual(frappe.db.get_value("Member", member.name, "iban"), "NL00BANK0000000000")

	def test_members_without_email_may_coexist(self):
		first, second = make_member(email=""), make_member(email="")
		self.assertIsNone(first.email)
		self.assertIsNone(second.email)

	def test_member_user_cannot_read_another_member(self):
		own_user = make_user()
		own = make_member(user=own_user.name)
		other = make_member()
		frappe.set_user(own_user.name)
		self.assertTrue(frappe.has_permission("Member", "read", own.name))
		self.assertFalse(frappe.has_permission("Member", "read", other.name))
		self.assertEqual(frappe.get_list("Member", pluck="name"), [own.name])
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Member", other.name).check_permission("read")

	def test_member_user_cannot_write_own_record(self):
		own_user = make_user()
		own = make_member(user=own_user.name)
		frappe.set_user(own_user.name)
		self.assertFalse(frappe.has_permission("Member", "write", own.name))

	def test_manager_reads_every_member(self):
		manager = make_user(roles=(MANAGER_ROLE,), user_type="System User")
		member = make_member()
		frappe.set_user(manager.name)
		self.assertTrue(frappe.has_permission("Member", "read", member.name))
		self.assertIn(member.name, frappe.get_list("Member", pluck="name", limit=0))

	def test_user_without_app_roles_sees_nothing(self):
		outsider = make_user(roles=())
		member = make_member()
		frappe.set_user(outsider.name)
		self.assertFalse(frappe.has_permission("Member", "read", member.name))
