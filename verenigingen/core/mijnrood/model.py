"""What a parsed export looks like: one verdict per row plus how to write the file back."""

from dataclasses import dataclass, field

FORMAT_XLSX = "xlsx"
FORMAT_CSV = "csv"
FORMAT_EVERYTHING = "export-everything"

# keys of the canonical record, exactly the Member DocType fields
MEMBER_FIELDS = (
	"member_id",
	"first_name",
	"tussenvoegsel",
	"last_name",
	"email",
	"phone",
	"birth_date",
	"member_since",
	"address_line",
	"postal_code",
	"city",
	"country",
	"iban",
	"contribution_amount",
	"contribution_period",
	"contribution_paid",
	"mollie_customer_id",
	"mollie_subscription_id",
	"privacy_accepted",
	"membership_status",
	"chapter",
)


@dataclass(frozen=True)
class CsvDialect:
	"""How a CSV upload was written, so an error report can be written the same way."""

	delimiter: str = ","
	encoding: str = "utf-8"
	line_terminator: str = "\r\n"


@dataclass
class RowResult:
	"""The verdict on one source row: errors mean not imported, warnings mean imported with changes."""

	row_number: int
	member: dict
	errors: list = field(default_factory=list)
	warnings: list = field(default_factory=list)
	raw: dict = field(default_factory=dict)

	@property
	def ok(self) -> bool:
		"""True when the row may be imported."""
		return not self.errors


@dataclass
class ParsedExport:
	"""A whole upload: its shape, its rows, and what is needed to write a report in the same shape."""

	format: str
	rows: list
	headers: list
	carried_fields: frozenset
	dialect: CsvDialect | None = None

	@property
	def failed_rows(self) -> list:
		"""Rows that will not be imported."""
		return [row for row in self.rows if row.errors]

	def summary(self) -> dict:
		"""Counts for the user: ``valid`` rows are importable, ``with_warnings`` is a subset of them."""
		errors = sum(1 for row in self.rows if row.errors)
		warned = sum(1 for row in self.rows if row.warnings and not row.errors)
		total = len(self.rows)
		return {"total": total, "valid": total - errors, "with_warnings": warned, "errors": errors}
