"""What an import will do with each row: create, update, leave unchanged, skip or refuse.

A row is matched to a stored Member by Mijnrood Lidnr first, then by email. A match that
contradicts itself (the Lidnr points at one member, the email at another) is refused, never
guessed. Rows the parser rejected are refused as well; a repeat of an earlier row of the same
file is *skipped*: the member is imported once, from the first row.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from verenigingen.core.encoding_loss import encoding_name, keep_undamaged
from verenigingen.core.field_limits import FieldRules, judge_new, judge_update
from verenigingen.core.member_diff import diff_member, member_values
from verenigingen.core.mijnrood.errors import Message
from verenigingen.core.mijnrood.model import RowResult

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"
ERROR = "error"
SKIP = "skip"
ACTIONS = (CREATE, UPDATE, UNCHANGED, SKIP, ERROR)
# the parser's message for a repeated Lidnr or email (tests/test_import_plan.py keeps them in step)
DUPLICATE_TEMPLATE = "{0} '{1}' is a duplicate of row {2}"


@dataclass
class StoredMembers:
	"""The stored Members an export may refer to, indexed the ways a row can match one."""

	by_member_id: dict = field(default_factory=dict)
	by_email: dict = field(default_factory=dict)
	names: set = field(default_factory=set)

	@classmethod
	def from_records(cls, records: Iterable[dict]) -> "StoredMembers":
		"""Index records holding at least ``name``, ``member_id`` and ``email``."""
		stored = cls()
		for record in records:
			stored.names.add(record["name"])
			if record.get("member_id"):
				stored.by_member_id[str(record["member_id"])] = record
			if record.get("email"):
				stored.by_email[str(record["email"]).lower()] = record
		return stored


@dataclass
class PlannedRow:
	"""The decision on one row; ``values`` is the whole new Member (create) or the changed fields."""

	row_number: int
	action: str
	member_id: str = ""
	member: str | None = None
	values: dict = field(default_factory=dict)
	reasons: list = field(default_factory=list)
	warnings: list = field(default_factory=list)
	allows_access: bool | None = None
	refused_by_parser: bool = False


def plan_rows(
	rows: Iterable[RowResult],
	stored: StoredMembers,
	chapter_of: dict | None = None,
	*,
	rules: FieldRules | None = None,
	encoding: str | None = None,
) -> list:
	"""Plan every row; ``chapter_of`` maps a group name to its Chapter (None: the group is not set).

	``rules`` (the Member's field limits) make the plan refuse or drop what the insert would refuse;
	``encoding`` is the narrow encoding the file was saved in (see ``core.encoding_loss``), if any.
	"""
	claimed: dict = {}
	context = _Context(chapter_of or {}, claimed, rules, encoding)
	return [plan_row(row, stored, context) for row in rows]


@dataclass
class _Context:
	chapter_of: dict
	claimed: dict
	rules: FieldRules | None = None
	encoding: str | None = None


def plan_row(row: RowResult, stored: StoredMembers, context: _Context) -> PlannedRow:
	"""Plan one row; ``context.claimed`` remembers which stored member an earlier row already took."""
	record = dict(row.member)
	planned = PlannedRow(
		row.row_number,
		ERROR,
		str(record.get("member_id") or ""),
		warnings=list(row.warnings),
		allows_access=record.get("allows_access"),
	)
	if row.errors:
		planned.action = SKIP if is_duplicate_row(row) else ERROR
		planned.reasons, planned.refused_by_parser = list(row.errors), True
		return planned
	_map_chapter(record, context.chapter_of, planned.warnings)
	target, conflict = match_member(record, stored)
	if not conflict and target and target["name"] in context.claimed:
		conflict = Message(
			"member {0} is already imported from row {1}", target["name"], context.claimed[target["name"]]
		)
	if conflict:
		planned.reasons = [conflict]
	elif target is None:
		_plan_create(planned, record, context)
	else:
		context.claimed[target["name"]] = row.row_number
		_plan_update(planned, target, record, context)
	return planned


def _plan_create(planned: PlannedRow, record: dict, context: _Context) -> None:
	values = member_values(record)
	if context.rules:
		verdict = judge_new(values, context.rules)
		planned.warnings += verdict.warnings
		if verdict.errors:
			planned.reasons = verdict.errors
			return
		values = verdict.values
	planned.action, planned.values = CREATE, values


def _plan_update(planned: PlannedRow, target: dict, record: dict, context: _Context) -> None:
	planned.member = target["name"]
	changes, kept = keep_undamaged(target, diff_member(target, record), context.encoding)
	for name in kept:
		planned.warnings.append(
			Message(
				"{0}: the stored value is kept; '{1}' lost letters that {2} cannot hold",
				context.rules.label(name) if context.rules else name,
				record[name],
				encoding_name(context.encoding),
			)
		)
	if context.rules and changes:
		verdict = judge_update(target, changes, context.rules)
		planned.warnings += verdict.warnings
		if verdict.errors:
			planned.reasons = verdict.errors
			return
		changes = verdict.values
	planned.values = changes
	planned.action = UPDATE if changes else UNCHANGED
	if "email" in changes and target.get("user"):
		planned.warnings.append(Message("the login {0} keeps its old email address", target["user"]))


def match_member(record: dict, stored: StoredMembers) -> tuple[dict | None, Message | None]:
	"""The stored member this record is about (or None: a new member), or a reason it is ambiguous."""
	member_id, email = str(record.get("member_id") or ""), str(record.get("email") or "").lower()
	by_id, by_email = stored.by_member_id.get(member_id), stored.by_email.get(email)
	if by_id:
		if by_email and by_email["name"] != by_id["name"]:
			return None, Message("email {0} is already used by member {1}", email, by_email["name"])
		return by_id, None
	if by_email:
		if by_email.get("member_id"):
			return None, Message(
				"email {0} belongs to member {1} with Lidnr {2}",
				email,
				by_email["name"],
				by_email["member_id"],
			)
		return by_email, None
	if member_id in stored.names:
		return None, Message("a member named {0} already exists with another Lidnr", member_id)
	return None, None


def _map_chapter(record: dict, chapter_of: dict, warnings: list) -> None:
	"""Replace the group name by its Chapter; a group without one is left out with a warning."""
	group = record.get("chapter")
	if not group:
		return
	chapter = chapter_of.get(group)
	if chapter:
		record["chapter"] = chapter
	else:
		del record["chapter"]
		warnings.append(Message("group {0} has no chapter; not set", group))


def is_duplicate_row(row: RowResult) -> bool:
	"""True when the parser refused the row for repeating an earlier row."""
	return any(getattr(message, "template", None) == DUPLICATE_TEMPLATE for message in row.errors)


def match_conflicts(planned: Iterable[PlannedRow]) -> list:
	"""Rows the parser accepted but the match refused (their reasons are not in the parser's verdict)."""
	return [row for row in planned if row.action == ERROR and not row.refused_by_parser]


def count_actions(planned: Iterable[PlannedRow]) -> dict:
	"""How many rows get each action (every action present, zero when unused)."""
	counts = Counter(row.action for row in planned)
	return {action: counts.get(action, 0) for action in ACTIONS}


def tally_outcomes(planned: Iterable[PlannedRow], failed_rows: Iterable[int] = ()) -> dict:
	"""Rows per final outcome: a planned write that failed counts as an error instead."""
	failed = set(failed_rows)
	counts = Counter(ERROR if row.row_number in failed else row.action for row in planned)
	return {action: counts.get(action, 0) for action in ACTIONS}


def groups_of(rows: Iterable[RowResult]) -> list:
	"""The distinct group names of the importable rows, in file order."""
	return list(
		dict.fromkeys(row.member["chapter"] for row in rows if not row.errors and row.member.get("chapter"))
	)
