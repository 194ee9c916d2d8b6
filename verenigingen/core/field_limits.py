"""Judging Member values against the DocType's columns, so Validate refuses what the insert would refuse.

Frappe refuses a document whose text is longer than its column (the field's ``length``, else 140),
whose Select value is not an option, whose Link points at nothing, whose Email field holds an address
its pattern rejects, or whose number does not fit its column. The Frappe side reads these limits from
the Member meta (``member_import/field_limits.py``) and passes them in as a plain mapping
``{fieldname: {"fieldtype", "length", "options", "label", "reqd"}}``; this module only judges.

A value that does not fit its column (too long, not an email Frappe accepts, a number too large, not
a date, empty but required) refuses the row: it is real data the Member cannot hold, so the row goes
to the error report to be fixed, never in cut off. A choice the DocType does not know (a Select value
outside its options, a Link to a missing record) leaves that field out with a warning, as the parser
and the chapter mapping do, unless the field is required.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from verenigingen.core.mijnrood.errors import Message
from verenigingen.core.names import compose_full_name

TEXT_TYPES = frozenset(
	{"Data", "Link", "Dynamic Link", "Select", "Read Only", "Phone", "Autocomplete", "Color", "Icon"}
)
# Frappe's max_positive_value: Int is an int column, a bigint once its length is over 11
INT_MAX, BIGINT_MAX = 2**31 - 1, 2**63 - 1
# Currency, Float and Percent are decimal(21,9): 12 digits before the point
DECIMAL_TYPES = frozenset({"Currency", "Float", "Percent", "Duration"})
DECIMAL_LIMIT = Decimal(10) ** 12
NAME_PARTS = ("first_name", "tussenvoegsel", "last_name")
# frappe.utils.EMAIL_MATCH_PATTERN, anchored at both ends (Frappe only anchors the start)
_EMAIL_ATOM = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+"
_EMAIL_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_FRAPPE_EMAIL = re.compile(
	rf"{_EMAIL_ATOM}(?:\.{_EMAIL_ATOM})*@(?:{_EMAIL_LABEL}\.)+{_EMAIL_LABEL}", re.IGNORECASE
)


@dataclass(frozen=True)
class FieldRules:
	"""The Member's field limits, and the names each Link may point at (a doctype not listed is not checked)."""

	limits: dict
	links: dict = field(default_factory=dict)

	def label(self, fieldname: str) -> Message:
		"""The field's label, translatable (``Message`` without arguments)."""
		return Message((self.limits.get(fieldname) or {}).get("label") or fieldname)


@dataclass
class Verdict:
	"""What may be written (``values``), and why the row is refused (``errors``) or a field left out."""

	values: dict
	errors: list = field(default_factory=list)
	warnings: list = field(default_factory=list)


def judge_new(values: dict, rules: FieldRules) -> Verdict:
	"""Judge a new Member's values (``full_name`` included); a field that does not fit is refused or dropped."""
	verdict = Verdict(dict(values))
	for fieldname, value in values.items():
		# a full name too long because a part is too long would only repeat that part's error
		if fieldname in rules.limits and not (fieldname == "full_name" and verdict.errors):
			_judge_incoming(verdict, fieldname, value, rules)
	return verdict


def judge_update(stored: dict, changes: dict, rules: FieldRules) -> Verdict:
	"""Judge the changes, then the Member as the save would write it (stored values and the new full name)."""
	verdict = judge_new(changes, rules)
	if not verdict.values or verdict.errors:
		return verdict
	merged = {name: stored.get(name) for name in rules.limits if name in stored}
	merged.update(verdict.values)
	merged["full_name"] = compose_full_name(*(merged.get(part) for part in NAME_PARTS))
	for fieldname, value in merged.items():
		if fieldname in verdict.values or fieldname not in rules.limits:
			continue
		# a stored value is judged without its Link targets: Frappe keeps those valid itself
		problem = value_problem(value, rules.limits[fieldname])
		if problem:
			verdict.errors.append(_stored_problem(fieldname, rules, problem))
	return verdict


def _judge_incoming(verdict: Verdict, fieldname: str, value: object, rules: FieldRules) -> None:
	limit = rules.limits[fieldname]
	label = rules.label(fieldname)
	problem = value_problem(value, limit)
	if problem:
		verdict.errors.append(Message("{0}: {1}", label, problem))
		return
	unknown = unknown_choice(value, limit, rules.links.get(limit.get("options")))
	if not unknown:
		return
	if limit.get("reqd"):
		verdict.errors.append(Message("{0}: {1}", label, unknown))
		return
	del verdict.values[fieldname]
	verdict.warnings.append(Message("{0}: {1}; not imported", label, unknown))


def _stored_problem(fieldname: str, rules: FieldRules, problem: Message) -> Message:
	if fieldname == "full_name":
		return Message("{0}: {1}", rules.label(fieldname), problem)
	return Message("stored {0}: {1}; correct the member first", rules.label(fieldname), problem)


def value_problem(value: object, limit: dict) -> Message | None:
	"""Why Frappe or the database would refuse ``value`` in a field with this ``limit`` (None: it fits)."""
	if value is None or value == "":
		return Message("a value is required") if limit.get("reqd") else None
	fieldtype = limit.get("fieldtype")
	if fieldtype in TEXT_TYPES:
		return _text_problem(str(value), limit)
	if fieldtype in ("Int", "Long Int"):
		return _int_problem(value, limit)
	if fieldtype in DECIMAL_TYPES:
		return _decimal_problem(value)
	if fieldtype == "Date":
		return _date_problem(value)
	return None


def unknown_choice(value: object, limit: dict, link_names: set | None = None) -> Message | None:
	"""Why a Select or Link value names something the site does not have (None: it is known)."""
	if value is None or value == "":
		return None
	fieldtype, options, text = limit.get("fieldtype"), limit.get("options"), str(value)
	if fieldtype == "Select" and options and text not in options:
		return Message("'{0}' is not one of {1}", text, ", ".join(option for option in options if option))
	if fieldtype == "Link" and link_names is not None and text not in link_names:
		return Message("{0} {1} does not exist", options, text)
	return None


def _text_problem(text: str, limit: dict) -> Message | None:
	length = limit.get("length")
	if length and len(text) > length:
		return Message("{0} characters, more than the {1} a Member holds", len(text), length)
	if limit.get("fieldtype") == "Data" and limit.get("options") == "Email" and not is_frappe_email(text):
		return Message("'{0}' is not an email address Frappe accepts", text)
	return None


def _int_problem(value: object, limit: dict) -> Message | None:
	try:
		number = int(value)
	except (TypeError, ValueError):
		return Message("'{0}' is not a whole number", value)
	bigint = limit.get("fieldtype") == "Long Int" or (limit.get("length") or 0) > 11
	largest = BIGINT_MAX if bigint else INT_MAX
	return Message("{0} is larger than {1}", number, largest) if abs(number) > largest else None


def _decimal_problem(value: object) -> Message | None:
	try:
		number = Decimal(str(value))
	except InvalidOperation:
		return Message("'{0}' is not a number", value)
	return Message("{0} is too large", value) if abs(number) >= DECIMAL_LIMIT else None


def _date_problem(value: object) -> Message | None:
	if isinstance(value, date):
		return None
	try:
		date.fromisoformat(str(value)[:10])
	except ValueError:
		return Message("'{0}' is not a date", value)
	return None


def is_frappe_email(text: str) -> bool:
	"""True when Frappe's Email check accepts ``text`` as one plain address (no name, no list)."""
	return bool(_FRAPPE_EMAIL.fullmatch(text))
