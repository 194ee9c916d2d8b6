"""Member Contacts without the Gravatar look-up: no outbound request per member.

Frappe's ``Contact.validate`` asks gravatar.com for a picture for every Contact without an
image (an HTTPS request carrying the MD5 of the email address, timeout 5 s), unless
``frappe.flags.in_import``, ``in_install`` or ``in_test`` is set. For a member account that
is one request to a third party per member: it sends a hash of every member's address out of
the site, which an association must not do unasked, and it made bulk runs wait on DNS.

Frappe skips the look-up for imports with ``in_import``. Member accounts are made on the
association's behalf like an import, so for the Contact of a member account, and only around
that Contact's own ``validate``, this module sets ``in_import`` (the ``before_validate`` and
``validate`` hooks of Contact, active only inside ``member_contact_scope``). Everything else
about the Contact runs as Frappe does it: defaults, naming, links, webhooks, notifications.
Contacts made anywhere else in Frappe keep their Gravatar look-up.
"""

from contextlib import contextmanager

import frappe

SCOPE_FLAG = "verenigingen_member_contact"
SAVED_FLAG = "verenigingen_in_import_before_contact"


@contextmanager
def member_contact_scope():
	"""Contacts saved inside this block skip Frappe's Gravatar look-up; the flags are restored after."""
	in_import, in_scope = frappe.flags.in_import, frappe.flags.get(SCOPE_FLAG)
	frappe.flags[SCOPE_FLAG] = True
	try:
		yield
	finally:
		frappe.flags.in_import = in_import
		frappe.flags[SCOPE_FLAG] = in_scope
		frappe.flags.pop(SAVED_FLAG, None)


def before_contact_validate(doc, method=None):
	"""Contact hook: inside the scope, mark the validation as an import (no Gravatar request)."""
	if frappe.flags.get(SCOPE_FLAG):
		frappe.flags[SAVED_FLAG] = bool(frappe.flags.in_import)
		frappe.flags.in_import = True


def after_contact_validate(doc, method=None):
	"""Contact hook: put ``in_import`` back as soon as the Contact's own validation is done."""
	if frappe.flags.get(SCOPE_FLAG) and SAVED_FLAG in frappe.flags:
		frappe.flags.in_import = frappe.flags.pop(SAVED_FLAG)
