"""Mandate rules: references, sequence types, and what a member's data asks of their mandates."""

import re
from dataclasses import dataclass
from decimal import Decimal

from verenigingen.core.sepa.accounts import bank_id, check_iban

MAX_REFERENCE_LENGTH = 35
# SEPA's Latin character set for identifiers, minus the space and "/" rules below
_ALLOWED = re.compile(r"^[A-Za-z0-9+?/\-:().,']{1,35}$")
REFERENCE_PREFIX = "VER"

FIRST = "FRST"
RECURRING = "RCUR"

CREATE = "create"
AMEND = "amend"
UNCHANGED = "unchanged"
INELIGIBLE = "ineligible"

ACTIVE = "Active"
SUSPENDED = "Suspended"
CANCELLED = "Cancelled"


def is_valid_reference(reference: str) -> bool:
	"""SEPA mandate id: 1-35 allowed characters, no leading/trailing/double "/"."""
	text = reference or ""
	if not _ALLOWED.match(text):
		return False
	return not (text.startswith("/") or text.endswith("/") or "//" in text)


def make_reference(member_id: str, version: int = 1) -> str:
	"""``VER-<member id>-<version>``, the member id stripped to allowed characters and cut to fit."""
	clean = re.sub(r"[^A-Za-z0-9]", "", str(member_id or "")) or "X"
	suffix = f"-{int(version)}"
	room = MAX_REFERENCE_LENGTH - len(REFERENCE_PREFIX) - 1 - len(suffix)
	return f"{REFERENCE_PREFIX}-{clean[:room]}{suffix}"


def sequence_type_after_collection(current: str, collected: bool) -> str:
	"""FRST stays until a collection went through; then RCUR for good."""
	return RECURRING if current == RECURRING or collected else FIRST


@dataclass(frozen=True)
class MandatePlan:
	"""What to do for one member: create, amend (new IBAN), leave, or refuse (with the reason)."""

	action: str
	iban: str = ""
	reason: str = ""


def plan_mandate(member: dict, active_iban: str | None) -> MandatePlan:
	"""Decide from the member's stored values and the IBAN of their active mandate (if any)."""
	if member.get("status", ACTIVE) != ACTIVE:
		return MandatePlan(INELIGIBLE, reason="member not active")
	if not Decimal(str(member.get("contribution_amount") or 0)) > 0:
		return MandatePlan(INELIGIBLE, reason="no contribution")
	checked = check_iban(member.get("iban"))
	if not checked.compact:
		return MandatePlan(INELIGIBLE, reason="no IBAN")
	if not checked.valid:
		return MandatePlan(INELIGIBLE, checked.compact, reason=f"invalid IBAN ({checked.reason})")
	if not active_iban:
		return MandatePlan(CREATE, checked.compact)
	if check_iban(active_iban).compact == checked.compact:
		return MandatePlan(UNCHANGED, checked.compact)
	return MandatePlan(AMEND, checked.compact)


def next_version(references: list[str]) -> int:
	"""One more than the highest ``-<n>`` version among the member's existing references."""
	versions = [int(match.group(1)) for ref in references if (match := re.search(r"-(\d+)$", ref or ""))]
	return max(versions, default=0) + 1


# How a changed account of the same mandate is reported in the next pain.008 (AmdmntInfDtls)
NEW_ACCOUNT = "Account"  # same bank: OrgnlDbtrAcct carries the old IBAN; the series continues (RCUR)
NEW_BANK = "SMNDA"  # another bank: OrgnlDbtrAgt "SMNDA"; the new bank starts the series (FRST)


@dataclass(frozen=True)
class Amendment:
	"""What the first collection after an account change tells the banks about the mandate before it."""

	kind: str
	original_mandate_id: str
	original_iban: str = ""

	@property
	def sequence_type(self) -> str:
		return RECURRING if self.kind == NEW_ACCOUNT else FIRST


def known_to_bank(mandate: dict) -> str | None:
	"""The mandate a replacement of ``mandate`` must refer to: the last one the debtor's bank has seen.

	A mandate collected at least once (RCUR) is known; one whose own amendment was not reported yet
	passes on the mandate it replaced; a mandate never collected is unknown (None).
	"""
	if mandate.get("amendment_pending") and mandate.get("original_mandate"):
		return mandate["original_mandate"]
	if mandate.get("sequence_type") == RECURRING:
		return mandate.get("name")
	return None


def plan_amendment(original_reference: str, original_iban: str, new_iban: str) -> Amendment:
	"""The amendment for a new IBAN of a mandate the bank knows: same bank or another one (SMNDA)."""
	if bank_id(original_iban) == bank_id(new_iban):
		return Amendment(NEW_ACCOUNT, original_reference, check_iban(original_iban).compact)
	return Amendment(NEW_BANK, original_reference)
