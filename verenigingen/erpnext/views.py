"""What the Member form and the Outstanding Contributions report show."""

import frappe
from frappe.utils import flt

from verenigingen.core.contributions import period_of_key
from verenigingen.erpnext import INVOICE_KEY, INVOICE_MEMBER, MEMBER_CUSTOMER


def member_contributions(member_name: str) -> dict:
	"""The member's Customer, outstanding contribution invoices and their total."""
	rows = frappe.get_list(
		"Sales Invoice",
		filters={INVOICE_MEMBER: member_name, "docstatus": 1, "outstanding_amount": (">", 0)},
		fields=["name", "posting_date", "due_date", "grand_total", "outstanding_amount", "status", INVOICE_KEY],
		order_by="posting_date asc",
		limit_page_length=0,
	)
	return {
		"member": member_name,
		"customer": frappe.db.get_value("Member", member_name, MEMBER_CUSTOMER),
		"outstanding": [
			{**row, "period": period_of_key(row.get(INVOICE_KEY) or "")} for row in rows
		],
		"total_outstanding": sum(flt(row.outstanding_amount) for row in rows),
	}


def outstanding_per_member(chapter: str | None = None) -> list[dict]:
	"""Outstanding contributions per member with chapter, oldest due date and invoice count."""
	conditions = ["si.docstatus = 1", "si.outstanding_amount > 0", f"si.`{INVOICE_KEY}` is not null"]
	values = {}
	if chapter:
		conditions.append("m.chapter = %(chapter)s")
		values["chapter"] = chapter
	return frappe.db.sql(
		f"""select m.name as member, m.full_name, m.chapter, m.`{MEMBER_CUSTOMER}` as customer,
			count(si.name) as invoices, sum(si.outstanding_amount) as outstanding, min(si.due_date) as oldest_due
		from `tabSales Invoice` si join `tabMember` m on m.name = si.`{INVOICE_MEMBER}`
		where {" and ".join(conditions)}
		group by m.name, m.full_name, m.chapter, m.`{MEMBER_CUSTOMER}`
		order by m.chapter, m.name""",
		values,
		as_dict=True,
	)
