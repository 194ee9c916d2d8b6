"""Finding members that occur twice in one file: the later row is the one rejected."""

from verenigingen.core.mijnrood.errors import Message

UNIQUE_FIELDS = ("member_id", "email")


def flag_in_file_duplicates(rows: list, labels: dict) -> None:
	"""Add a "duplicate of row N" error to every row repeating an earlier row's member number or email."""
	for field in UNIQUE_FIELDS:
		first_row = {}
		for row in rows:
			value = row.member.get(field)
			if not value:
				continue
			if value in first_row:
				row.errors.append(
					Message(
						"{0} '{1}' is a duplicate of row {2}",
						labels.get(field, field),
						value,
						first_row[value],
					)
				)
			else:
				first_row[value] = row.row_number
