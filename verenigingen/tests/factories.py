"""Test factories for the integration tests (one place, as in frappe/helpdesk)."""

import frappe

from verenigingen.account_creation.user_factory import without_creation_throttle
from verenigingen.permissions import MEMBER_ROLE


def unique_suffix() -> str:
	return frappe.generate_hash(length=8).lower()


def make_member(**values):
	"""Insert a Member with unique id and email unless given."""
	suffix = unique_suffix()
	doc = frappe.get_doc(
		{
			"doctype": "Member",
			"member_id": values.pop("member_id", f"T{suffix}"),
			"first_name": values.pop("first_name", "Test"),
			"last_name": values.pop("last_name", f"Lid {suffix}"),
			"email": values.pop("email", f"lid.{suffix}@example.nl"),
			**values,
		}
	)
	return doc.insert()


def make_user(email: str | None = None, roles=(MEMBER_ROLE,), user_type: str = "Website User"):
	"""Insert a User with the given roles (Website User unless told otherwise)."""
	email = email or f"user.{unique_suffix()}@example.nl"
	user = frappe.new_doc("User")
	user.update({"email": email, "first_name": "Test", "user_type": user_type, "send_welcome_email": 0})
	for role in roles:
		user.append("roles", {"role": role})
	with no_user_throttle():
		user.insert()
	return user


# Fixtures create many Users within a minute; lift Frappe's sign-up throttle for them the
# same way staff-approved accounts do.
no_user_throttle = without_creation_throttle


def make_staff_user(role: str = "Verenigingen Manager"):
	"""A System User holding one of the app's staff roles."""
	return make_user(roles=(role,), user_type="System User")


def make_members(count: int, **values) -> list[str]:
	"""Insert ``count`` Active members with unique emails; return their names."""
	return [make_member(**values).name for _ in range(count)]


def user_count_for(email: str) -> int:
	return frappe.db.count("User", {"name": email.lower()})


OUTGOING_ACCOUNT = "Verenigingen Test Outgoing"


def make_default_outgoing_email_account() -> str:
	"""The site's default outgoing Email Account (never contacted: tests queue mail, never send it)."""
	frappe.db.set_value("Email Account", {"default_outgoing": 1}, "default_outgoing", 0)
	if frappe.db.exists("Email Account", OUTGOING_ACCOUNT):
		frappe.db.set_value("Email Account", OUTGOING_ACCOUNT, {"enable_outgoing": 1, "default_outgoing": 1})
	else:
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": OUTGOING_ACCOUNT,
				"email_id": "leden@example.nl",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "127.0.0.1",
				"no_smtp_authentication": 1,
			}
		).insert()
	return OUTGOING_ACCOUNT
