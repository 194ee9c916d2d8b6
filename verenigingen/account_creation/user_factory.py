"""Member Users through Frappe's ``User.insert`` (where something listens to the rows it makes;
elsewhere member_user_rows.py writes the same rows without a lifecycle per row).

Frappe v15's User.insert has side effects that are fine one at a time and ruinous by the
thousand (see docs/account-creation.md): every save clears the whole site cache through
``ask_pass_update``; creation is throttled at 60 per minute; each insert queues a
``create_contact`` job and a ``update_gravatar`` job (an HTTP call) on the default queue.
``quiet_user_side_effects`` handles each on purpose for every member-account job (a bulk
batch or a single request), so every User still ends up as a normally created one (Contact
included, defaults applied) and no request leaves the site for it (member_contact.py).
"""

from contextlib import contextmanager

import frappe
import frappe.cache_manager
from frappe.core.doctype.user import user as user_module

from verenigingen.account_creation.errors import WorkerRace
from verenigingen.account_creation.member_contact import member_contact_scope

CREATE_CONTACT = "frappe.core.doctype.user.user.create_contact"
UPDATE_GRAVATAR = "frappe.core.doctype.user.user.update_gravatar"
NO_THROTTLE = 10**9


def new_member_user(email: str, first_name: str, middle_name: str, last_name: str, roles, role_profile):
	"""Insert a Website User for a member, as the session user (whose permissions apply)."""
	user = frappe.new_doc("User")  # new_doc applies the DocType defaults (enabled, ...)
	user.update(
		{
			"email": email,
			"first_name": first_name,
			"middle_name": middle_name or None,
			"last_name": last_name or None,
			"user_type": "Website User",
			"send_welcome_email": 0,
			"role_profile_name": role_profile or None,
		}
	)
	for role in roles:
		user.append("roles", {"role": role})
	user.insert()
	return user


@contextmanager
def without_creation_throttle():
	"""Lift Frappe's sign-up throttle for accounts that staff approved (permission-checked)."""
	original_limit = frappe.local.conf.get("throttle_user_limit")
	frappe.local.conf["throttle_user_limit"] = NO_THROTTLE
	try:
		yield
	finally:
		if original_limit is None:
			frappe.local.conf.pop("throttle_user_limit", None)
		else:
			frappe.local.conf["throttle_user_limit"] = original_limit


@contextmanager
def quiet_user_side_effects():
	"""For a member-account job: no site-cache flush, no throttle, Contact inline, no Gravatar request."""
	original_ask_pass_update = user_module.ask_pass_update
	original_enqueue = frappe.enqueue
	original_clear_cache = frappe.clear_cache
	original_share_with_self = user_module.User.share_with_self
	user_module.ask_pass_update = _ask_pass_update_when_changed
	frappe.enqueue = _enqueue_user_side_effects(original_enqueue)
	frappe.clear_cache = _clear_cache_keeping_process_caches(original_clear_cache)
	user_module.User.share_with_self = _share_with_self_from_memory(original_share_with_self)
	try:
		with without_creation_throttle():
			yield
	finally:
		user_module.ask_pass_update = original_ask_pass_update
		frappe.enqueue = original_enqueue
		frappe.clear_cache = original_clear_cache
		user_module.User.share_with_self = original_share_with_self


def _ask_pass_update_when_changed():
	"""Frappe's ask_pass_update, writing the default (and clearing the cache) only on change."""
	awaiting = frappe.get_all(
		"User Email", filters={"awaiting_password": 1, "used_oauth": 0}, pluck="parent", distinct=True
	)
	value = ",".join(awaiting)
	stored = frappe.db.get_value(
		"DefaultValue", {"parent": "__default", "defkey": "email_user_password"}, "defvalue"
	)
	if (stored or "") != value:
		frappe.utils.set_default("email_user_password", value)


def _clear_cache_keeping_process_caches(original_clear_cache):
	"""``frappe.clear_cache(user=...)`` that clears the user's cache and nothing of the process.

	Every User save calls it. Besides the user's own Redis keys (cleared here as always) it
	empties this worker's site and request caches, which hold nothing about the user just
	saved; rebuilding them costs about eleven queries per User. Other calls pass through.
	"""

	def clear_cache(user=None, doctype=None):
		if user and not doctype:
			frappe.cache_manager.clear_user_cache(user)
			return
		return original_clear_cache(user=user, doctype=doctype)

	return clear_cache


def _share_with_self_from_memory(original_share_with_self):
	"""Frappe's ``User.share_with_self``, reading the User being saved from memory.

	Sharing a new User with itself loads that User twice more (the DocShare's validation and
	its ``follow_shared_documents`` lookup): six queries each, plus a Redis round trip, for
	the document that is in memory and was just written. The DocShare, its "Shared" Comment
	and any follow are created by Frappe's own code as always.
	"""

	def share_with_self(user):
		with _serve_from_memory(user):
			return original_share_with_self(user)

	return share_with_self


@contextmanager
def _serve_from_memory(doc):
	"""``frappe.get_doc``/``get_cached_doc`` of exactly (doc.doctype, doc.name) return ``doc``."""
	original_get_doc, original_get_cached_doc = frappe.get_doc, frappe.get_cached_doc

	def serving(original):
		def get(*args, **kwargs):
			if not kwargs and args == (doc.doctype, doc.name):
				return doc
			return original(*args, **kwargs)

		return get

	frappe.get_doc, frappe.get_cached_doc = serving(original_get_doc), serving(original_get_cached_doc)
	try:
		yield
	finally:
		frappe.get_doc, frappe.get_cached_doc = original_get_doc, original_get_cached_doc


def _assert_contact_created(user) -> None:
	"""Frappe's create_contact swallows a duplicate Contact name; here that is a race to rerun.

	Contacts are named after their person. Two workers creating namesakes ("Maria de Jong") at
	the same moment both pick the same free name; the second insert fails, and Frappe's
	create_contact ignores that and leaves the User without a Contact. Rerunning the request in
	a fresh transaction picks the next free name.
	"""
	from frappe.contacts.doctype.contact.contact import get_contact_name

	if not get_contact_name(user.email):
		raise WorkerRace("The Contact was not created: a namesake's Contact took its name at the same moment")


def _enqueue_user_side_effects(original_enqueue):
	def enqueue(method, *args, **kwargs):
		if method == CREATE_CONTACT:
			# Same function Frappe would queue, run in this transaction: the Contact is
			# created atomically with its User and no job lands on the default queue.
			kwargs.pop("enqueue_after_commit", None)
			kwargs.pop("now", None)
			with member_contact_scope():
				frappe.call(method, **kwargs)
			_assert_contact_created(kwargs["user"])
			return None
		if method == UPDATE_GRAVATAR:
			return None  # an HTTP call per member; members upload their own picture
		return original_enqueue(method, *args, **kwargs)

	return enqueue
