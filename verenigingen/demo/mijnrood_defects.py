"""The defects a generated Mijnrood export plants, and the verdict the import owes each one.

Every kind names what goes wrong in a real export and what ``verenigingen.core.mijnrood`` (the
parser: ``verdict`` ok/warning/error) and the import's plan (``action`` create/skip/error) do with
it; ``message`` is a fragment of the reason they give (docs/import-validation.md). The first five
are the kinds of the shared sample's manifest, in its words.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from verenigingen.demo.mijnrood_people import broken_iban

OK, WARNING, ERROR = "ok", "warning", "error"
CREATE, SKIP = "create", "skip"
# shape_verdicts are keyed by these: the export-everything family (folder or ZIP) and Dutch Excel CSV
EVERYTHING = "export-everything"
UNKNOWN_DIVISION_ID = 99
UNKNOWN_STATUS_ID = 9


@dataclass(frozen=True)
class Defect:
	description: str
	verdict: str
	action: str
	message: str
	apply: Callable[[dict, random.Random, dict], None]
	# shape family -> (verdict, message) where that shape judges the row otherwise
	shape_verdicts: dict = field(default_factory=dict)


def _set(**cells) -> Callable:
	def apply(row: dict, rng: random.Random, earlier: dict) -> None:
		row.update(cells)

	return apply


def _copy(key: str) -> Callable:
	def apply(row: dict, rng: random.Random, earlier: dict) -> None:
		row[key] = earlier[key]

	return apply


def _bad_iban(row: dict, rng: random.Random, earlier: dict) -> None:
	row["iban"] = broken_iban(row["iban"] or "NL91ABNA0417164300")


def _bad_email(row: dict, rng: random.Random, earlier: dict) -> None:
	row["email"] = row["email"].replace("@", "", 1)  # the typo of the sample: "…15example.nl"


def _unicode_email(row: dict, rng: random.Random, earlier: dict) -> None:
	row["email"] = "zoë." + row["email"]  # a letter mail providers allow and Frappe does not


def _long_address(row: dict, rng: random.Random, earlier: dict) -> None:
	note = f"{row['address']}, achterom via de steeg, bel aan bij de buren als er niemand is. "
	row["address"] = (note * (1200 // len(note) + 1))[:1200]


def _long_name(row: dict, rng: random.Random, earlier: dict) -> None:
	row["middle_name"] = ""
	row["last_name"] = ("-".join(["Van Lynden tot Oldenaller"] * 6))[:150]


def _unknown_chapter(row: dict, rng: random.Random, earlier: dict) -> None:
	# the admin list joins the division: a dangling id shows as an empty Groep
	row["chapter"], row["division_id"] = "", UNKNOWN_DIVISION_ID


def _unknown_status(row: dict, rng: random.Random, earlier: dict) -> None:
	row["status"], row["status_id"], row["allows_access"] = "", UNKNOWN_STATUS_ID, None


def _bad_country(row: dict, rng: random.Random, earlier: dict) -> None:
	row.update(country="Frankrijk", city="Lyon", postcode="69003")


DEFECTS: dict[str, Defect] = {
	"bad_iban": Defect(
		"IBAN fails mod-97: the IBAN must not be stored; row rejected or imported with a warning",
		WARNING,
		CREATE,
		"is not a valid IBAN",
		_bad_iban,
	),
	"bad_email": Defect(
		"email has no @: row rejected with a reason (no account can be made)",
		ERROR,
		ERROR,
		"is not a valid email address",
		_bad_email,
	),
	"dup_email": Defect(
		"same email as an earlier row: not a second member and not a second user",
		ERROR,
		SKIP,
		"is a duplicate of row",
		_copy("email"),
	),
	"no_first_name": Defect(
		"Voornaam empty: row rejected with a reason", ERROR, ERROR, "is empty", _set(first_name="")
	),
	"bad_postcode": Defect(
		"NL postcode '12345': flagged with a warning; member still imported",
		WARNING,
		CREATE,
		"is not a Dutch postcode",
		_set(postcode="12345", country="NL", city="Leiden"),
	),
	"no_last_name": Defect(
		"Achternaam empty: row rejected with a reason", ERROR, ERROR, "is empty", _set(last_name="")
	),
	"no_email": Defect(
		"no email address: row rejected (no account can be made)", ERROR, ERROR, "is empty", _set(email="")
	),
	"bad_lidnr": Defect(
		"Lidnr with its last digit typed as the letter O: row rejected",
		ERROR,
		ERROR,
		"is not a member number",
		lambda row, rng, earlier: row.update(lidnr=f"{str(row['lidnr'])[:-1]}O"),
	),
	"dup_lidnr": Defect(
		"same Lidnr as an earlier row: the later row is skipped",
		ERROR,
		SKIP,
		"is a duplicate of row",
		_copy("lidnr"),
	),
	"formula_name": Defect(
		"first name is a spreadsheet formula (CSV injection): row rejected",
		ERROR,
		ERROR,
		"starts like a spreadsheet formula",
		_set(first_name='=HYPERLINK("https://example.com/x","Klik hier")'),
	),
	"html_name": Defect(
		"last name holds HTML markup: row rejected",
		ERROR,
		ERROR,
		"contains HTML markup",
		_set(last_name="<b>Jansen</b>"),
	),
	"cell_too_long": Defect(
		"an address of 1200 characters (a pasted note): row rejected",
		ERROR,
		ERROR,
		"is longer than 1000 characters",
		_long_address,
	),
	"name_too_long": Defect(
		"a last name of 150 characters: the parser accepts it, a Member cannot hold it (import error)",
		OK,
		ERROR,
		"more than the 140 a Member holds",
		_long_name,
	),
	"unicode_email": Defect(
		"an email with 'ë': the parser accepts it, Frappe's Email check does not (import error)",
		OK,
		ERROR,
		"is not an email address Frappe accepts",
		_unicode_email,
	),
	"bad_phone": Defect(
		"phone is text: the phone is dropped with a warning",
		WARNING,
		CREATE,
		"is not a phone number",
		_set(phone="bellen na 18 uur", phone_e164=""),
	),
	"bad_date": Defect(
		"birth date 31 February: the date is dropped with a warning",
		WARNING,
		CREATE,
		"is not a date",
		_set(birth_date="31-2-1990"),
	),
	"future_date": Defect(
		"registration date 2062 (2026 mistyped): dropped with a warning",
		WARNING,
		CREATE,
		"lies in the future",
		_set(member_since=date(2062, 3, 14)),
	),
	"bad_amount": Defect(
		"contribution of 250000 euros (a typo): the amount is dropped with a warning",
		WARNING,
		CREATE,
		"is not a plausible contribution",
		_set(amount="250000"),
	),
	"bad_period": Defect(
		"payment period 'Wekelijks' (code 7): the period is dropped with a warning",
		WARNING,
		CREATE,
		"is not a payment period",
		_set(period="Wekelijks"),
	),
	"bad_country": Defect(
		"country typed as 'Frankrijk': the country is dropped with a warning",
		WARNING,
		CREATE,
		"is not a two-letter country code",
		_bad_country,
	),
	"formula_address": Defect(
		"address is a spreadsheet formula: the address is dropped with a warning",
		WARNING,
		CREATE,
		"starts like a spreadsheet formula; not imported",
		_set(address="=1+1"),
	),
	"unknown_chapter": Defect(
		"division id not in admin_division.csv: export-everything warns, the admin list shows no Groep",
		OK,
		CREATE,
		"",
		_unknown_chapter,
		{EVERYTHING: (WARNING, "is not in admin_division.csv")},
	),
	"unknown_status": Defect(
		"status id not in admin_membershipstatus.csv: export-everything warns, the admin list shows none",
		OK,
		CREATE,
		"",
		_unknown_status,
		{EVERYTHING: (WARNING, "is not in admin_membershipstatus.csv")},
	),
}
# the defect mix of the shared 60-member sample, which the tier-2 tests use
SAMPLE_DEFECTS = ("no_first_name", "bad_postcode", "bad_email", "dup_email", "bad_iban")
# kinds that repeat an earlier row's value: the earlier row must be one that is imported
REPEATS = ("dup_email", "dup_lidnr")
