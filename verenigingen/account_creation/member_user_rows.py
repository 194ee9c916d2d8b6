"""A member's User, Contact and share written as Frappe writes them, without a lifecycle per row.

Frappe's ``User.insert`` runs the whole document lifecycle for the User and again for each row
it makes with it: its Notification Settings, its share with itself (a DocShare), its Contact.
Each lifecycle asks hooks, webhooks, server scripts, notifications, workflows and rules whether
they want the row; on a site where none of them do, that asking is most of the cost of a member
account (docs/account-creation.md, *Benchmark*).

On such a site (``plain_rows_allowed``) a member's account is written here with Frappe's own
pieces: ``new_doc`` defaults; the User controller's own methods for what ``User.validate`` does
to a new Website User (email, role profile, user type, full name, username, disabled roles, time
zone, social login id); this app's User guards; ``_validate`` (mandatory, lengths, data fields,
selects); ``db_insert`` of each document and its child rows; the "Shared" comment through
Frappe's ``add_comment`` (a full insert); the time zone default; the cache keys Frappe clears.
``test_member_user_rows`` writes the same member both ways and compares every row the two
leave in the database.

Anything that listens to those rows (another app's ``doc_events``, an overridden controller, a
Webhook, a DocType-event Server Script, a Notification, a Workflow, an Assignment Rule, an
Energy Point Rule, a Milestone Tracker, a non-standard User Type), or a role that would make the
account a System User, sends the account through Frappe's ``User.insert`` (user_factory.py).
"""

import frappe
import frappe.cache_manager
from frappe import _
from frappe.contacts.doctype.contact.contact import get_contact_name
from frappe.desk.form.document_follow import follow_document
from frappe.utils import get_fullname, validate_email_address

from verenigingen.account_creation import role_policy, user_guard
from verenigingen.account_creation.errors import WorkerRace
from verenigingen.core.names import next_numbered_name

# The documents a new member account writes without their own lifecycle.
PLAIN_DOCTYPES = ("User", "Has Role", "User Social Login", "Notification Settings", "DocShare", "Comment",
	"Contact", "Contact Email", "DefaultValue")
# Hooks that do nothing for these rows while the records checked in ``listeners`` are absent:
# Frappe's own hooks on every document (frappe/hooks.py), its Google Contacts sync (only for a
# Contact marked to sync), and this app's own (the User guards are called below; the Contact
# hooks only skip a Gravatar request, which is not made here).
QUIET_HOOKS = frozenset({
	"frappe.desk.notifications.clear_doctype_notifications",
	"frappe.workflow.doctype.workflow_action.workflow_action.process_workflow_actions",
	"frappe.core.doctype.file.utils.attach_files_to_document",
	"frappe.automation.doctype.assignment_rule.assignment_rule.apply",
	"frappe.automation.doctype.assignment_rule.assignment_rule.update_due_date",
	"frappe.core.doctype.user_type.user_type.apply_permissions_for_non_standard_user_type",
	"frappe.social.doctype.energy_point_rule.energy_point_rule.process_energy_points",
	"frappe.automation.doctype.milestone_tracker.milestone_tracker.evaluate_milestone",
	"frappe.integrations.doctype.google_contacts.google_contacts.insert_contacts_to_google_contacts",
	"frappe.integrations.doctype.google_contacts.google_contacts.update_contacts_to_google_contacts",
	"verenigingen.account_creation.user_guard.refuse_login_changes",
	"verenigingen.account_creation.user_guard.validate_user_roles",
	"verenigingen.account_creation.user_guard.refuse_rename",
	"verenigingen.account_creation.member_contact.before_contact_validate",
	"verenigingen.account_creation.member_contact.after_contact_validate",
})
# Records that make a site act on a new row of a DocType: (DocType, its DocType field, "is on" filter).
LISTENING_RECORDS = (
	("Webhook", "webhook_doctype", {"enabled": 1}),
	("Server Script", "reference_doctype", {"script_type": "DocType Event", "disabled": 0}),
	("Notification", "document_type", {"enabled": 1}),
	("Workflow", "document_type", {"is_active": 1}),
	("Assignment Rule", "document_type", {"disabled": 0}),
	("Energy Point Rule", "reference_doctype", {"enabled": 1}),
	("Milestone Tracker", "document_type", {"disabled": 0}),
)
LOCAL_VERDICT = "verenigingen_plain_rows_allowed"


def plain_rows_allowed() -> bool:
	"""True when nothing on this site listens to a new member account's rows (asked once per job)."""
	verdict = getattr(frappe.local, LOCAL_VERDICT, None)
	if verdict is None:
		verdict = not listeners()
		setattr(frappe.local, LOCAL_VERDICT, verdict)
	return verdict


def listeners() -> list[str]:
	"""What on this site would act on a new member account's rows (empty: the rows may be written plainly)."""
	found = []
	doc_events = frappe.get_hooks("doc_events") or {}
	for doctype in ("*", *PLAIN_DOCTYPES):
		for event, methods in (doc_events.get(doctype) or {}).items():
			for method in [methods] if isinstance(methods, str) else methods:
				if method not in QUIET_HOOKS:
					found.append(f"{doctype} {event}: {method}")
	overrides = frappe.get_hooks("override_doctype_class") or {}
	found += [f"{doctype}: controller {overrides[doctype]}" for doctype in PLAIN_DOCTYPES if doctype in overrides]
	for record, field, on in LISTENING_RECORDS:
		names = frappe.get_all(record, filters={field: ("in", PLAIN_DOCTYPES), **on}, pluck="name")
		found += [f"{record} {name}" for name in names]
	found += [f"User Type {name}" for name in frappe.get_all("User Type", filters={"is_standard": 0}, pluck="name")]
	return found


def insert_member_user(email: str, first_name: str, middle_name: str, last_name: str, roles, role_profile):
	"""Write a member's Website User as ``User.insert`` would; None (nothing written) when Frappe must.

	Frappe must when the account would not be a Website User, or when the session user follows the
	documents they create (Frappe then adds a follow to each row's insert).
	"""
	if frappe.get_cached_value("User", frappe.session.user, "follow_created_documents"):
		return None
	user = new_user_document(email, first_name, middle_name, last_name, roles, role_profile)
	if user is None:
		return None
	try:
		user.db_insert()
	except (frappe.DuplicateEntryError, frappe.UniqueValidationError) as exc:
		# Another worker took this email or username a moment ago: a fresh attempt sees it.
		frappe.clear_messages()
		raise WorkerRace(f"User {user.name} or its username was taken meanwhile") from exc
	for row in user.get_all_children():
		row.db_insert()
	written(user)
	insert_notification_settings(user.name)
	share_with_self(user)
	insert_contact(user)
	after_user_saved(user)
	return user


def new_user_document(email, first_name, middle_name, last_name, roles, role_profile):
	"""The User as ``insert`` and ``User.validate`` leave a new Website User, not yet written."""
	user = frappe.new_doc("User")  # the DocType's defaults
	user.update({"email": email, "first_name": first_name, "middle_name": middle_name or None,
		"last_name": last_name or None, "user_type": "Website User", "send_welcome_email": 0,
		"role_profile_name": role_profile or None})
	for role in roles:
		user.append("roles", {"role": role})
	user.set_user_and_timestamp()
	user.set_docstatus()
	user.check_if_latest()  # for a new document: the save action, nothing before it
	user._validate_links()
	user.check_permission("create")
	user.set_new_name()  # autoname: the lower-cased email
	user_guard.refuse_login_changes(user)  # before_validate, as the hook runs it
	user.new_password = ""  # User.validate clears it (a member's password is set by the member)
	user.email = user.name
	validate_email_address(user.name, throw=True)
	if user.role_profile_name:  # User.populate_role_profile_roles, the profile read once per request
		user.set("roles", [])
		user.append_roles(*role_policy.profile_roles(user.role_profile_name))
	user.set_system_user()
	if user.user_type != "Website User":
		return None
	user.set_full_name()
	user.ensure_unique_roles()
	user.validate_username()
	user.remove_disabled_roles()
	user.set_time_zone()
	user.set_social_login_userid("frappe", frappe.generate_hash(length=39))
	user_guard.validate_user_roles(user)  # validate, as the hook runs it
	user.set_new_name(force=True, set_name=user.name)  # names the child rows added since
	user.set_parent_in_children()
	user.set_user_and_timestamp()
	user._validate()  # Frappe's field checks: mandatory, lengths, data fields, selects
	return user


def written(doc) -> None:
	"""What ``run_post_save_methods`` ends with: the document is no longer being saved.

	``set_user_and_timestamp`` lists each document in ``frappe.flags.currently_saving``; without
	this, a job working off thousands of members kept every one of them listed (22 MB at 50,000).
	"""
	saving = frappe.flags.currently_saving or []
	# Listed under its name, and under None where the timestamps were set before it was named.
	for entry in ((doc.doctype, doc.name), (doc.doctype, None)):
		while entry in saving:
			saving.remove(entry)


def insert_row(doc, name_it: bool = True) -> None:
	"""A document without child rows written as ``insert`` writes it: timestamps, docstatus, its name
	(unless already given), Frappe's field checks, the row."""
	doc.set_user_and_timestamp()
	doc.set_docstatus()
	if name_it:
		doc.set_new_name()
	doc._validate()
	doc.db_insert()
	written(doc)


def insert_notification_settings(user_name: str) -> None:
	"""``create_notification_settings``: the user's Notification Settings with their defaults."""
	settings = frappe.new_doc("Notification Settings")
	settings.name = user_name
	insert_row(settings, name_it=False)


def share_with_self(user) -> None:
	"""``User.share_with_self``: the User shared with itself, Frappe's "Shared" comment, a follow if wanted."""
	share = frappe.new_doc("DocShare")
	share.update({"user": user.name, "share_doctype": "User", "share_name": user.name, "everyone": 0, "read": 1,
		"write": 1, "submit": 0, "share": 1})
	insert_row(share)
	# get_fullname of the new User is its full name, which is in memory
	insert_comment(user, "Shared", _("{0} shared this document with {1}").format(
		get_fullname(share.owner), user.full_name or user.name))
	if user.follow_shared_documents:
		follow_document("User", user.name, user.name)


def insert_comment(doc, comment_type: str, text: str) -> None:
	"""``Document.add_comment`` of an info comment ("Shared"): ``Comment.validate`` and the row.

	Its ``after_insert`` and ``on_update`` act on comments of type Comment, Like, Assigned and
	Attachment, and on @mentions; an info comment has neither.
	"""
	comment = frappe.new_doc("Comment")
	comment.update({"comment_type": comment_type, "comment_email": frappe.session.user, "comment_by": None,
		"reference_doctype": doc.doctype, "reference_name": doc.name,
		"content": frappe.utils.sanitize_html(text or comment_type, always_sanitize=True)})
	insert_row(comment)


def insert_contact(user) -> None:
	"""``create_contact``: the User's Contact, named as Frappe names a namesake's (``Jan de Jong-1``)."""
	if get_contact_name(user.email):
		return  # Frappe's create_contact updates an existing one; a new member's address has none
	contact = frappe.new_doc("Contact")
	contact.update({"first_name": user.first_name, "last_name": user.last_name, "user": user.name,
		"gender": user.gender})
	contact.add_email(user.email, is_primary=True)
	contact.flags.ignore_mandatory = True  # as create_contact inserts it
	contact.set_user_and_timestamp()
	contact.set_docstatus()
	contact.check_if_latest()
	contact._validate_links()
	contact.set_new_name(set_name=contact_name(contact._get_full_name()))
	contact.set_parent_in_children()
	contact.full_name = contact._get_full_name()
	contact.set_primary_email()
	contact.set_primary("phone")
	contact.set_primary("mobile_no")
	contact.image = contact.image or ""  # Contact.validate's has_gravatar for a member: no request made
	contact._validate()
	try:
		contact.db_insert()
	except frappe.DuplicateEntryError as exc:
		# A namesake's Contact took this name in another worker a moment ago: a fresh attempt numbers on.
		frappe.clear_messages()
		raise WorkerRace(f"Contact {contact.name} was taken meanwhile") from exc
	for row in contact.get_all_children():
		row.db_insert()
	written(contact)


def contact_name(full_name: str) -> str:
	"""``Contact.autoname`` for a Contact without links: the name, or the namesake's next number.

	Frappe finds the highest number with a REGEXP over every Contact's name, a scan of the whole
	table for each namesake (6 ms at 40,000 Contacts and growing; docs/account-creation.md,
	*50,000 members*). The same number comes from the names that start with the name and a dash,
	a range of the primary key.
	"""
	if not frappe.db.exists("Contact", full_name):
		return full_name
	prefix = f"{full_name}-".replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
	taken = frappe.db.sql("select name from `tabContact` where name like %s", (prefix + "%",), pluck=True)
	return next_numbered_name(full_name, taken)


def after_user_saved(user) -> None:
	"""What ``User.after_insert`` and ``on_update`` leave besides rows: the time zone default, caches."""
	frappe.cache.delete_key("users_for_mentions")
	frappe.cache.delete_key("enabled_users")
	if user.time_zone:
		insert_default(user.name, "time_zone", user.time_zone)
	frappe.cache_manager.clear_user_cache(user.name)  # on_update's clear_cache(user=...), notifications included


def insert_default(user_name: str, key: str, value: str) -> None:
	"""``frappe.defaults.set_default`` of a new user's default: the DefaultValue row (its cache cleared after)."""
	if frappe.db.exists("DefaultValue", {"parent": user_name, "defkey": key}):
		frappe.defaults.set_default(key, value, user_name)  # left by an earlier User of this name: Frappe updates it
		return
	default = frappe.new_doc("DefaultValue")
	default.update({"parent": user_name, "parenttype": "__default", "parentfield": "system_defaults", "defkey": key,
		"defvalue": value})
	insert_row(default)
