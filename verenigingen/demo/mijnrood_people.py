"""Synthetic Dutch members: names, addresses, phone numbers and bank accounts (pure Python).

Names are drawn with Zipf-like weights (common names more often), so namesakes occur as they do
in a real association. Every value is valid unless a defect is planted
later by ``mijnrood_defects``: IBANs pass mod-97 (and the Dutch eleven-test), postcodes and phone
numbers have the real Dutch shapes, emails are ASCII and unique.
"""

import itertools
import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

# common first names of several generations and backgrounds; the diacritics are real ones
FIRST_NAMES = (
	"Jan Maria Anna Johannes Daan Sanne Emma Lucas Thijs Eva Sem Julia Noah Lotte Bram Fleur Jesse Iris "
	"Ruben Lieke Joris Femke Niels Anouk Koen Sophie Tim Lisa Bas Marieke Henk Joke Ingrid Peter Linda "
	"Mohammed Fatima Yusuf Ahmed Zoë Hélène Ümit Björn Ayşe Çağla Noor Sven Inge Wim Gerrit Hanneke "
	"Jan-Willem Anne-Marie Hans_Peter Marloes Mehmet Emre Zeynep Elif René Chloë Søren Anaïs Noëlle"
).split(" ")
# "Hans Peter": one double first name with a space, as members type it
FIRST_NAMES = tuple(name.replace("_", " ") for name in FIRST_NAMES)
# "tussenvoegsel|achternaam" (an empty infix has no bar; "_" stands for a space)
SURNAMES = (
	"de|Jong Jansen de|Vries van_den|Berg van|Dijk Bakker Janssen Visser Smit Meijer de|Boer Mulder "
	"de|Groot Bos Vos 't|Hart Peters Hendriks van|Leeuwen Dekker Brouwer de|Wit Dijkstra Smits de|Graaf "
	"van_der|Meer van_der|Linden Kok Jacobs de|Haan Vermeulen van_den|Heuvel van_der|Veen van_den|Broek "
	"de|Bruijn Schouten van|Beek Willems van|Vliet van_de|Ven Hoekstra Maas Koster Prins Huisman Kuipers "
	"in_'t|Veld ter|Horst ten|Brink uit_de|Bosch van_'t|Hof Öztürk Yılmaz Çelik Şahin Nguyen "
	"El_Amrani Bouzid Ruiz-Pérez Kowalski Müller Dubois den|Hollander Ramdin Tjon-A-Fong"
).split(" ")
STREETS = (
	"Kerkstraat",
	"Dorpsstraat",
	"Molenweg",
	"Stationsweg",
	"Schoolstraat",
	"Julianastraat",
	"Beatrixlaan",
	"Prinsengracht",
	"Lange Nieuwstraat",
	"Oranjestraat",
	"Wilhelminapark",
	"Van 't Hoffstraat",
	"Burgemeester de Withstraat",
)
# city -> (first postcode digits, last postcode digits, area code, chapter it belongs to)
CITIES = {
	"Amsterdam": (1011, 1109, "20", "Amsterdam"),
	"Haarlem": (2011, 2037, "23", "Amsterdam"),
	"Zaandam": (1501, 1509, "75", "Amsterdam"),
	"Rotterdam": (3011, 3089, "10", "Rotterdam"),
	"Schiedam": (3111, 3125, "10", "Rotterdam"),
	"Den Haag": (2491, 2599, "70", "Den Haag"),
	"Delft": (2611, 2629, "15", "Den Haag"),
	"Utrecht": (3511, 3585, "30", "Utrecht"),
	"Amersfoort": (3811, 3829, "33", "Utrecht"),
	"Groningen": (9711, 9747, "50", "Groningen"),
	"Leeuwarden": (8911, 8939, "58", "Groningen"),
	"Nijmegen": (6511, 6546, "24", "Nijmegen"),
	"Arnhem": (6811, 6846, "26", "Nijmegen"),
	"Eindhoven": (5611, 5658, "40", "Eindhoven"),
	"Tilburg": (5011, 5049, "13", "Eindhoven"),
	"Leiden": (2311, 2334, "71", "Leiden"),
	"Zwolle": (8011, 8043, "38", ""),
	"Maastricht": (6211, 6229, "43", ""),
}
# the afdelingen (admin_division.csv), in Mijnrood's id order
CHAPTERS = ("Amsterdam", "Rotterdam", "Utrecht", "Groningen", "Nijmegen", "Leiden", "Eindhoven", "Den Haag")
# members living across the border keep a Dutch bank account; their postcodes are foreign
FOREIGN = (("BE", "Antwerpen", "2018"), ("BE", "Gent", "9000"), ("DE", "Kleve", "47533"))
BANKS = ("ABNA", "INGB", "RABO", "SNSB", "ASNB", "TRIO", "KNAB", "BUNQ", "RBRB")
MAIL_DOMAINS = ("example.nl", "example.com", "example.org", "example.net")
POSTCODE_LETTERS = "ABCDEFGHJKLMNPRTVWXZ"
# letters stdnum's NFKD fold does not reduce to ASCII
_ASCII_FOLD = str.maketrans({"ı": "i", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "đ": "d", "ł": "l"})


@dataclass(frozen=True)
class Person:
	first_name: str
	middle_name: str
	last_name: str


def zipf_cumulative(count: int) -> list[float]:
	"""Cumulative weights of rank**-0.6 (precomputed: 50,000 draws stay fast).

	Flatter than 1/rank: a short list of names stands for a country's long one, in which the most
	common surname is still under 1 percent; namesakes occur, but not in every other row.
	"""
	return list(itertools.accumulate(rank**-0.6 for rank in range(1, count + 1)))


FIRST_CUMULATIVE = zipf_cumulative(len(FIRST_NAMES))
SURNAME_CUMULATIVE = zipf_cumulative(len(SURNAMES))


def draw_person(rng: random.Random) -> Person:
	"""A Dutch name: first name, tussenvoegsel ("van der", "'t") and last name apart."""
	first = rng.choices(FIRST_NAMES, cum_weights=FIRST_CUMULATIVE)[0]
	infix, _, last = rng.choices(SURNAMES, cum_weights=SURNAME_CUMULATIVE)[0].rpartition("|")
	return Person(first, infix.replace("_", " "), last.replace("_", " "))


def ascii_fold(text: str) -> str:
	"""``Çağla`` -> ``Cagla``: what a mail provider lets a member choose as address."""
	text = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD))
	return text.encode("ascii", "ignore").decode()


def email_for(person: Person, number: int, rng: random.Random) -> str:
	"""A unique, ASCII address Frappe accepts (``ayse.denhaan.18@example.nl``)."""
	local = ascii_fold(f"{person.first_name}.{person.middle_name}{person.last_name}").lower()
	local = "".join(ch for ch in local if ch.isalnum() or ch in ".-").strip(".-").replace("..", ".")
	return f"{local}.{number}@{rng.choice(MAIL_DOMAINS)}"


def dutch_iban(rng: random.Random) -> str:
	"""A Dutch IBAN with valid check digits whose account number passes the eleven-test."""
	while True:
		account = [int(digit) for digit in str(rng.randrange(10**8, 10**9))]
		# the last digit has weight 1: choose it so the weighted sum is a multiple of 11
		last = -sum(d * w for d, w in zip(account, range(10, 1, -1), strict=True)) % 11
		if last < 10:
			account.append(last)
			break
	bban = rng.choice(BANKS) + "".join(map(str, account))
	return f"NL{iban_check_digits('NL', bban)}{bban}"


def iban_check_digits(country: str, bban: str) -> str:
	"""ISO 13616 check digits: 98 minus the mod-97 of BBAN + country + 00, letters as 10..35."""
	digits = "".join(str(int(ch, 36)) for ch in bban + country + "00")
	return f"{98 - int(digits) % 97:02d}"


def broken_iban(iban: str) -> str:
	"""The same IBAN with one account digit mistyped: mod-97 fails, as a real typo does."""
	last = int(iban[-1])
	return iban[:-1] + str((last + 3) % 10)


def postcode_for(rng: random.Random, city: str) -> str:
	"""A postcode in the city's range, typed the ways members type it (``1234 AB``, ``1234ab``)."""
	low, high, _, _ = CITIES[city]
	digits = rng.randint(low, high)
	letters = rng.choice(POSTCODE_LETTERS) + rng.choice(POSTCODE_LETTERS)
	style = rng.random()
	if style < 0.6:
		return f"{digits} {letters}"
	if style < 0.85:
		return f"{digits}{letters}"
	return f"{digits} {letters.lower()}"


def phone_for(rng: random.Random, city: str) -> tuple[str, str]:
	"""``(as typed, E.164)``: a mobile number in one of the five real spellings, or a landline."""
	if rng.random() < 0.8:
		subscriber = f"{rng.randrange(10**7, 10**8)}"
		e164 = f"+316{subscriber}"
		typed = rng.choice(
			(
				f"06{subscriber}",
				f"06-{subscriber}",
				e164,
				f"+31 6 {subscriber[:4]} {subscriber[4:]}",
			)
		)
		return typed, e164
	area = CITIES[city][2]
	subscriber = f"{rng.randrange(10 ** (8 - len(area)), 10 ** (9 - len(area)))}"
	return f"0{area}-{subscriber}", f"+31{area}{subscriber}"


def day_between(rng: random.Random, first: date, last: date) -> date:
	return first + timedelta(days=rng.randrange((last - first).days + 1))


def contribution(rng: random.Random, status: str) -> tuple[Decimal, str]:
	"""An amount in euros and its Mijnrood period; aspirants (often students) pay less."""
	period = rng.choices(("Maandelijks", "Per kwartaal", "Jaarlijks"), weights=(6, 2, 3))[0]
	amounts = {
		"Maandelijks": ("2.50", "5.00", "7.50", "10.00", "15.00"),
		"Per kwartaal": ("7.50", "15.00", "25.00"),
		"Jaarlijks": ("25.00", "50.00", "60.00", "120.00"),
	}[period]
	choices = amounts[:2] if status == "Aspirant" else amounts
	return Decimal(rng.choice(choices)), period


def mollie_id(rng: random.Random, prefix: str) -> str:
	return f"{prefix}_{rng.getrandbits(40):010x}"


BCRYPT_ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def password_hash(rng: random.Random) -> str:
	"""A bcrypt-shaped hash (never a real one): the importer must drop it unread."""
	return "$2y$13$" + "".join(rng.choices(BCRYPT_ALPHABET, k=53))
