"""A bank return file (pain.002 rejects, camt.054 returns) applied to a submitted batch, entry by entry."""

import frappe
from frappe import _

from verenigingen.core.sepa.bank_return import parse_bank_return
from verenigingen.sepa import BATCH
from verenigingen.sepa.collections import record_outcome


def apply_bank_return(batch_name: str, content: bytes | str) -> dict:
	"""Record each rejected or returned collection of this batch; report ids the batch does not know."""
	try:
		returned = parse_bank_return(content)
	except ValueError as exc:
		frappe.throw(_("The bank file could not be read: {0}").format(str(exc)))
	doc = frappe.get_doc(BATCH, batch_name)
	doc.check_permission("write")
	member_of = {row.end_to_end_id: row.member for row in doc.entries}
	recorded, unknown = [], []
	for item in returned:
		member = member_of.get(item.end_to_end_id)
		if not member:
			unknown.append(item.end_to_end_id)
			continue
		recorded.append(
			record_outcome(batch_name, member, item.status, item.reason_code or "NARR", item.end_to_end_id)
		)
	return {"batch": batch_name, "recorded": len(recorded), "unknown_end_to_end_ids": unknown}


def read_attached_file(file_url: str) -> bytes:
	"""The content of an uploaded File the user may read."""
	name = frappe.db.get_value("File", {"file_url": file_url}, "name")
	if not name:
		frappe.throw(_("File {0} not found").format(file_url), frappe.DoesNotExistError)
	file = frappe.get_doc("File", name)
	file.check_permission("read")
	content = file.get_content()
	return content if isinstance(content, bytes) else content.encode()
