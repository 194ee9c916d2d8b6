"""Pre-notification of a direct debit: how many days' notice, whether a batch's notices suffice, the texts.

The SEPA rulebook asks the creditor to tell the debtor the amount and date of a collection at least
14 calendar days before it, unless creditor and debtor agreed on another period.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

DEFAULT_NOTICE_DAYS = 14
LANGUAGES = ("nl", "en")
DUTCH_MONTHS = (
	"januari",
	"februari",
	"maart",
	"april",
	"mei",
	"juni",
	"juli",
	"augustus",
	"september",
	"oktober",
	"november",
	"december",
)
ENGLISH_MONTHS = (
	"January",
	"February",
	"March",
	"April",
	"May",
	"June",
	"July",
	"August",
	"September",
	"October",
	"November",
	"December",
)

# Jinja; context: member_name, amount, collection_date, mandate_reference, creditor_id,
# creditor_name, iban_masked, description.
DEFAULT_SUBJECTS = {
	"nl": "Aankondiging incasso {{ creditor_name }} op {{ collection_date }}",
	"en": "Direct debit notice from {{ creditor_name }} on {{ collection_date }}",
}
DEFAULT_BODIES = {
	"nl": """<p>Beste {{ member_name }},</p>
<p>Op <b>{{ collection_date }}</b> schrijft {{ creditor_name }} <b>{{ amount }}</b> af van uw rekening
{{ iban_masked }} ({{ description }}).</p>
<p>Machtigingskenmerk: {{ mandate_reference }}<br>Incassant-ID: {{ creditor_id }}</p>
<p>Klopt er iets niet? Neem dan vóór de incassodatum contact met ons op. U kunt een incasso tot
acht weken na de afschrijving via uw bank laten terugboeken.</p>
<p>Met vriendelijke groet,<br>{{ creditor_name }}</p>""",
	"en": """<p>Dear {{ member_name }},</p>
<p>On <b>{{ collection_date }}</b> {{ creditor_name }} will collect <b>{{ amount }}</b> from your account
{{ iban_masked }} ({{ description }}).</p>
<p>Mandate reference: {{ mandate_reference }}<br>Creditor identifier: {{ creditor_id }}</p>
<p>If anything is wrong, please contact us before the collection date. You can have a direct debit
refunded by your bank up to eight weeks after it was collected.</p>
<p>Kind regards,<br>{{ creditor_name }}</p>""",
}


def template_language(language: str | None) -> str:
	"""``nl`` for Dutch (nl, nl-NL, nl-BE ...), else ``en``."""
	return "nl" if (language or "").lower().replace("_", "-").split("-")[0] == "nl" else "en"


def required_notice_days(configured: int | None, agreed: int | None = None) -> int:
	"""Days of notice a batch needs: the configured number, or a shorter period agreed with the debtors."""
	days = DEFAULT_NOTICE_DAYS if configured is None or int(configured) < 0 else int(configured)
	if agreed is not None and 0 <= int(agreed) < days:
		return int(agreed)
	return days


def latest_notice_date(collection_date: date, days: int) -> date:
	"""The last day on which a notification still gives ``days`` days' notice."""
	return collection_date - timedelta(days=int(days))


@dataclass(frozen=True)
class NoticeCheck:
	"""Whether each entry's notification went out early enough for the collection date."""

	required_days: int
	missing: list = field(default_factory=list)
	late: list = field(default_factory=list)
	earliest_collection_date: date | None = None

	@property
	def ok(self) -> bool:
		return not (self.missing or self.late)


def check_notice(collection_date: date, notified_on: dict, required_days: int) -> NoticeCheck:
	"""``notified_on`` maps an entry key to the date its notification went out (None: not yet).

	The earliest collection date is the one the recorded notifications allow (all sent), else None.
	"""
	deadline = latest_notice_date(collection_date, required_days)
	missing = [key for key, day in notified_on.items() if not day]
	late = [key for key, day in notified_on.items() if day and day > deadline]
	sent = [day for day in notified_on.values() if day]
	earliest = max(sent) + timedelta(days=required_days) if sent and not missing else None
	return NoticeCheck(required_days, missing, late, earliest)


def format_amount(cents: int, language: str) -> str:
	"""``€ 7,50`` in Dutch, ``€7.50`` in English."""
	euros, rest = divmod(int(cents), 100)
	if template_language(language) == "nl":
		return f"€ {euros:,}".replace(",", ".") + f",{rest:02d}"
	return f"€{euros:,}.{rest:02d}"


def format_date(day: date, language: str) -> str:
	"""``15 januari 2027`` in Dutch, ``15 January 2027`` in English."""
	if template_language(language) == "nl":
		return f"{day.day} {DUTCH_MONTHS[day.month - 1]} {day.year}"
	return f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"
