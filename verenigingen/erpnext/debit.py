"""A Direct Debit Batch filled from outstanding contribution invoices (instead of member amounts).

Members with an Active mandate, their submitted contribution invoices with an outstanding
amount, each invoice once: an invoice already in another batch is left out unless that
collection was rejected or reversed (then the invoice is open again and may be collected anew).
The file, pre-notification, submission and outcomes are the batch's usual steps
(verenigingen.sepa.collections).
"""

import frappe

from verenigingen.core.contributions import period_of_key
from verenigingen.core.sepa.collection import DueEntry, to_cents
from verenigingen.erpnext import ENTRY_INVOICE, INVOICE_KEY, INVOICE_MEMBER, require_erpnext
from verenigingen.sepa import collections


def outstanding_invoices(doc, members: dict) -> list[DueEntry]:
	"""One entry per outstanding contribution invoice of a mandated member, oldest first."""
	if not members:
		return []
	rows = frappe.db.sql(
		f"""select si.name, si.`{INVOICE_MEMBER}` as member, si.outstanding_amount, si.`{INVOICE_KEY}` as ckey
		from `tabSales Invoice` si
		where si.docstatus = 1 and si.outstanding_amount > 0 and si.`{INVOICE_KEY}` is not null
			and si.`{INVOICE_MEMBER}` in %(members)s
			and si.posting_date <= %(collection_date)s
			and not exists (select 1 from `tabDirect Debit Batch Entry` e
				where e.`{ENTRY_INVOICE}` = si.name and e.parent != %(batch)s
					and coalesce(e.status, 'Pending') in ('Pending', 'Collected'))
		order by si.`{INVOICE_MEMBER}`, si.posting_date, si.name""",
		{"members": list(members), "collection_date": doc.collection_date, "batch": doc.name},
		as_dict=True,
	)
	return [
		DueEntry(row.member, members[row.member].mandate, to_cents(row.outstanding_amount), period_of_key(row.ckey), row.name)
		for row in rows
	]


def fill_batch_from_invoices(batch_name: str) -> dict:
	"""Fill a draft batch with the outstanding contribution invoices; the preview, as fill_batch gives."""
	require_erpnext()
	frappe.has_permission("Sales Invoice", "read", throw=True)
	return collections.fill_batch(batch_name, due_source=outstanding_invoices)
