"""ERPNext accounting for contributions (optional: only when ERPNext is installed on the site).

    settings   the accounting settings (Custom Fields on Verenigingen Settings) and their defaults
    runs       bulk runs on the `bulk` queue (Bulk Operation Tracker, per-member outcomes on the run)
    customers  a Customer per member: created, or an existing one linked by e-mail; never twice
    invoices   one submitted Sales Invoice per due member and period (idempotent by contribution key)
    debit      a Direct Debit Batch filled from outstanding contribution invoices
    payments   Payment Entries for a collected batch; a bank return cancels the member's payment
    views      what the Member form and the Outstanding Contributions report show

Nothing here imports ``erpnext`` at module level: the app imports and installs on a plain Frappe
bench, and every entry point says so (``require_erpnext``) when ERPNext is missing. Rules without
Frappe live in ``verenigingen.core.contributions``. Public entry points live in
``verenigingen.utils.erpnext_contributions``.
"""

import frappe
from frappe import _

CUSTOMER_RUN = "Customer Creation"
INVOICE_RUN = "Contribution Invoicing"
PAYMENT_RUN = "Contribution Payments"
RUN_TYPES = (CUSTOMER_RUN, INVOICE_RUN, PAYMENT_RUN)

# Custom Fields (made by verenigingen.setup.erpnext_fields when ERPNext is on the site)
MEMBER_CUSTOMER = "customer"
INVOICE_MEMBER = "verenigingen_member"
INVOICE_KEY = "verenigingen_contribution_key"
ENTRY_INVOICE = "sales_invoice"
ENTRY_PAYMENT = "payment_entry"

# ERPNext's accounting roles. A System Manager needs one too: ERPNext gives System Manager no
# Sales Invoice or Payment Entry rights either, so the app does not pretend otherwise.
ACCOUNTS_ROLES = ("Accounts Manager", "Accounts User")


def erpnext_installed() -> bool:
	"""True when ERPNext is installed on this site (not merely present in the bench)."""
	return "erpnext" in frappe.get_installed_apps()


def require_erpnext() -> None:
	"""Refuse clearly when ERPNext is not installed on this site."""
	if not erpnext_installed():
		frappe.throw(
			_(
				"ERPNext is not installed on this site: contribution accounting needs it "
				"(bench get-app erpnext --branch version-15; bench --site {0} install-app erpnext)"
			).format(frappe.local.site),
			title=_("ERPNext is not installed"),
		)


def require_contribution_accounting() -> None:
	"""Guard of every entry point: an ERPNext accounting role and a staff role of the app.

	Checked before ``require_erpnext``, so who is refused is the same with and without ERPNext.
	What a run makes (Customer, Sales Invoice, Payment Entry) is then checked with ERPNext's own
	document permissions, as the user who starts it (jobs run as that user).
	"""
	from verenigingen.permissions import require_roles, require_staff

	require_roles(*ACCOUNTS_ROLES)
	require_staff()
