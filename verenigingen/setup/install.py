"""Install hooks: one small, idempotent function per concern."""

import frappe
from redis.exceptions import RedisError

from verenigingen.permissions import (
	ADMINISTRATOR_ROLE,
	MANAGER_ROLE,
	MEMBER_ROLE,
	MEMBER_ROLE_PROFILE,
	MONITORING_ROLE,
	SYSTEM_MANAGER_ROLE,
)
from verenigingen.setup.bulk_queue import ensure_bulk_queue_configured
from verenigingen.setup.erpnext_fields import ensure_erpnext_fields, remove_erpnext_fields
from verenigingen.shared.queues import forget_jobs_of_an_earlier_site

# Members are Website Users: their role must not open the Desk.
ROLE_DESK_ACCESS = {ADMINISTRATOR_ROLE: 1, MANAGER_ROLE: 1, MEMBER_ROLE: 0, MONITORING_ROLE: 0}
DEFAULT_ROLE_GRANTS = ((ADMINISTRATOR_ROLE, MEMBER_ROLE), (MANAGER_ROLE, MEMBER_ROLE))


# Staff create member Users as themselves; verenigingen.account_creation.user_guard keeps
# this to Website Users with grantable roles.
USER_PERMISSIONS = {0: ("read", "write", "create"), 1: ("read", "write")}

# An API key and secret log in as their user. Staff hold User level 1 (for roles), where Frappe
# keeps these, so they move to a level only System Managers hold (user_guard refuses writes too).
USER_SECRET_FIELDS = ("api_key", "api_secret", "generate_keys")
USER_SECRET_PERMLEVEL = 2

# Frappe's create_contact looks every new User's Contact up by email; without an index that
# scans all contact emails, once per account. A Property Setter keeps the index through migrate.
CONTACT_EMAIL_INDEX = ("Contact Email", "email_id")


def after_install() -> None:
	install_steps()
	forget_earlier_site_jobs()


def install_steps() -> None:
	ensure_roles()
	ensure_member_role_profile()
	ensure_settings()
	ensure_prenotification_defaults()
	ensure_user_permissions()
	ensure_user_secrets_for_system_managers()
	ensure_contact_email_index()
	ensure_bulk_queue_configured()
	ensure_erpnext_fields()  # only when ERPNext is installed on the site


def after_migrate() -> None:
	"""Same steps, so a bench upgraded from an older version ends up installed the same way (the
	site's jobs are its own: they stay)."""
	install_steps()


def forget_earlier_site_jobs() -> None:
	"""A new site must not inherit the jobs of a dropped site of the same name (shared/queues.py)."""
	try:
		removed = forget_jobs_of_an_earlier_site()
	except RedisError as error:
		print(f"verenigingen: could not look for jobs of an earlier site of this name in Redis ({error})")
		return
	if removed:
		print(f"verenigingen: removed {removed} job(s) left in Redis by an earlier site named {frappe.local.site}")


def before_uninstall() -> None:
	"""Leave the bench config alone (other sites may use the queue); drop only our profile."""
	remove_erpnext_fields()
	if frappe.db.exists("Role Profile", MEMBER_ROLE_PROFILE):
		frappe.delete_doc("Role Profile", MEMBER_ROLE_PROFILE, force=True)
	for name in frappe.get_all(
		"Custom DocPerm", filters={"parent": "User", "role": ("in", (ADMINISTRATOR_ROLE, MANAGER_ROLE))}, pluck="name"
	):
		frappe.delete_doc("Custom DocPerm", name, force=True)
	doctype, fieldname = CONTACT_EMAIL_INDEX
	for name in frappe.get_all(
		"Property Setter",
		filters={"doc_type": doctype, "field_name": fieldname, "property": "search_index"},
		pluck="name",
	):
		frappe.delete_doc("Property Setter", name, force=True)
	for name in frappe.get_all(
		"Property Setter",
		filters={"doc_type": "User", "field_name": ("in", USER_SECRET_FIELDS), "property": "permlevel"},
		pluck="name",
	):
		frappe.delete_doc("Property Setter", name, force=True)
	secret_perms = {"parent": "User", "role": SYSTEM_MANAGER_ROLE, "permlevel": USER_SECRET_PERMLEVEL}
	for name in frappe.get_all("Custom DocPerm", filters=secret_perms, pluck="name"):
		frappe.delete_doc("Custom DocPerm", name, force=True)


def ensure_roles() -> None:
	for role_name, desk_access in ROLE_DESK_ACCESS.items():
		if not frappe.db.exists("Role", role_name):
			frappe.get_doc({"doctype": "Role", "role_name": role_name, "desk_access": desk_access}).insert()
		elif frappe.db.get_value("Role", role_name, "desk_access") != desk_access:
			role = frappe.get_doc("Role", role_name)
			role.desk_access = desk_access
			role.save()


def ensure_member_role_profile() -> None:
	if frappe.db.exists("Role Profile", MEMBER_ROLE_PROFILE):
		return
	frappe.get_doc(
		{"doctype": "Role Profile", "role_profile": MEMBER_ROLE_PROFILE, "roles": [{"role": MEMBER_ROLE}]}
	).insert()


def ensure_settings() -> None:
	"""Store the defaults once, with the default grant rules, so the form shows real values."""
	settings = frappe.get_single("Verenigingen Settings")
	if settings.role_grants:
		return
	# Frappe saves Singles before after_install, when the profile does not exist yet.
	settings.default_role_profile = settings.default_role_profile or MEMBER_ROLE_PROFILE
	for requester_role, grantable_role in DEFAULT_ROLE_GRANTS:
		settings.append("role_grants", {"requester_role": requester_role, "grantable_role": grantable_role})
	settings.save()


def ensure_prenotification_defaults() -> None:
	"""Fill empty SEPA pre-notification settings (days, lead time, Dutch and English texts) once."""
	from verenigingen.sepa.prenotification import default_setting_values

	for field, value in default_setting_values().items():
		if not frappe.db.get_single_value("Verenigingen Settings", field):
			frappe.db.set_single_value("Verenigingen Settings", field, value)


def ensure_user_permissions() -> None:
	from frappe.permissions import add_permission, update_permission_property

	for role in (ADMINISTRATOR_ROLE, MANAGER_ROLE):
		for permlevel, ptypes in USER_PERMISSIONS.items():
			if not frappe.db.exists("Custom DocPerm", {"parent": "User", "role": role, "permlevel": permlevel}):
				add_permission("User", role, permlevel)
			for ptype in ptypes:
				update_permission_property("User", role, permlevel, ptype, 1, validate=False)


def ensure_user_secrets_for_system_managers() -> None:
	from frappe.custom.doctype.property_setter.property_setter import make_property_setter
	from frappe.permissions import add_permission, update_permission_property

	filters = {"parent": "User", "role": SYSTEM_MANAGER_ROLE, "permlevel": USER_SECRET_PERMLEVEL}
	if not frappe.db.exists("Custom DocPerm", filters):
		add_permission("User", SYSTEM_MANAGER_ROLE, USER_SECRET_PERMLEVEL)
	for ptype in ("read", "write"):
		update_permission_property("User", SYSTEM_MANAGER_ROLE, USER_SECRET_PERMLEVEL, ptype, 1, validate=False)
	meta = frappe.get_meta("User")
	for fieldname in USER_SECRET_FIELDS:
		if meta.get_field(fieldname).permlevel != USER_SECRET_PERMLEVEL:
			make_property_setter(
				"User", fieldname, "permlevel", USER_SECRET_PERMLEVEL, "Int", validate_fields_for_doctype=False
			)


def ensure_contact_email_index() -> None:
	from frappe.custom.doctype.property_setter.property_setter import make_property_setter

	doctype, fieldname = CONTACT_EMAIL_INDEX
	if frappe.get_meta(doctype).get_field(fieldname).search_index:
		return
	make_property_setter(doctype, fieldname, "search_index", 1, "Check", validate_fields_for_doctype=False)
	frappe.db.updatedb(doctype)
