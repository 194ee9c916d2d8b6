"""Which column of each export shape feeds which member field, matched tolerantly by header."""

from verenigingen.core.mijnrood.errors import MijnroodFileError
from verenigingen.core.mijnrood.text import header_key

# field -> headers as Mijnrood writes them (first one) plus spellings seen in the wild
ADMIN_COLUMNS = {
	"member_id": ("Lidnr.", "Lidnummer"),
	"first_name": ("Voornaam",),
	"tussenvoegsel": ("Tussenvoegsel", "Tussenvoegsels"),
	"last_name": ("Achternaam",),
	"birth_date": ("Geboortedatum",),
	"member_since": ("Inschrijfdataum", "Inschrijfdatum"),
	"chapter": ("Groep",),
	"email": ("E-mailadres", "E-mail", "Emailadres"),
	"phone": ("Telefoonnr.", "Telefoonnummer", "Telefoon"),
	"address_line": ("Adres",),
	"city": ("Plaats", "Woonplaats"),
	"postal_code": ("Postcode",),
	"country": ("Landcode", "Land"),
	"iban": ("IBAN",),
	"contribution_amount": ("Contributiebedrag",),
	"contribution_period": ("Betaalperiode",),
	"contribution_paid": ("Betaald",),
	"mollie_customer_id": ("Mollie CID",),
	"mollie_subscription_id": ("Mollie SID",),
	"privacy_accepted": ("Privacybeleid geaccepteerd",),
	"membership_status": ("Lidmaatschapstype",),
}
ADMIN_REQUIRED = ("member_id", "first_name", "last_name", "email")
# the admin export's header row as Mijnrood writes it, columns A to U
ADMIN_HEADERS = tuple(spellings[0] for spellings in ADMIN_COLUMNS.values())

# admin_member.csv of export-everything; chapter and status are resolved through other tables
EVERYTHING_COLUMNS = {
	"member_id": ("id",),
	"first_name": ("first_name",),
	"tussenvoegsel": ("middle_name",),
	"last_name": ("last_name",),
	"birth_date": ("date_of_birth",),
	"member_since": ("registration_time",),
	"chapter": ("division_id",),
	"email": ("email",),
	"phone": ("phone",),
	"address_line": ("address",),
	"city": ("city",),
	"postal_code": ("post_code",),
	"country": ("country",),
	"iban": ("iban",),
	"contribution_amount": ("contribution_per_period_in_cents",),
	"contribution_period": ("contribution_period",),
	"mollie_customer_id": ("mollie_customer_id",),
	"mollie_subscription_id": ("mollie_subscription_id",),
	"privacy_accepted": ("accept_use_personal_information",),
	"membership_status": ("current_membership_status_id",),
}
EVERYTHING_REQUIRED = ADMIN_REQUIRED
DIVISION_COLUMNS = {"id": ("id",), "name": ("name",)}
STATUS_COLUMNS = {"id": ("id",), "name": ("name",), "allowed_access": ("allowed_access",)}


def resolve_columns(headers: list, spec: dict, required: tuple, source: str) -> dict:
	"""Map each field to the header that carries it; a missing required column rejects the file."""
	by_key = {header_key(header): header for header in headers}
	columns = {}
	for field, spellings in spec.items():
		found = [by_key[key] for key in dict.fromkeys(header_key(s) for s in spellings) if key in by_key]
		if len(found) > 1:
			raise MijnroodFileError("{0}: columns '{1}' and '{2}' hold the same data", source, *found[:2])
		if found:
			columns[field] = found[0]
	missing = [spec[field][0] for field in required if field not in columns]
	if missing:
		raise MijnroodFileError("{0} is missing required column(s): {1}", source, ", ".join(missing))
	return columns


def looks_like_admin_member_table(headers: list) -> bool:
	"""True for a lone admin_member.csv from export-everything uploaded as if it were the admin list."""
	keys = {header_key(header) for header in headers}
	return {"id", "firstname", "lastname", "divisionid"} <= keys
