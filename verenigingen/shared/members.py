"""Member look-ups more than one feature needs (the import's accounts, the mandates after an import)."""

import frappe

LOOKUP_CHUNK = 500


def member_names_for_ids(member_ids: list[str], filters: dict | None = None) -> list[str]:
	"""Names of the Members with these Lidnrs that also match ``filters`` (the user's permissions apply)."""
	names = []
	for start in range(0, len(member_ids), LOOKUP_CHUNK):
		chunk = member_ids[start : start + LOOKUP_CHUNK]
		names += frappe.get_list(
			"Member",
			filters={"member_id": ("in", chunk), **(filters or {})},
			pluck="name",
			limit_page_length=0,
		)
	return names
