"""Mandate rules: references, IBAN checks, sequence types and what a member's data asks for."""

import pytest

from verenigingen.core.sepa import mandates as rules
from verenigingen.core.sepa.accounts import check_iban, derive_bic, iban_reason_text, masked_details

VALID = "NL91ABNA0417164300"
OTHER = "NL25RABO0497465075"


def member(**values):
	return {"status": "Active", "iban": VALID, "contribution_amount": 7.5, **values}


@pytest.mark.parametrize(
	"reference, ok",
	[("VER-1000-1", True), ("A" * 35, True), ("A" * 36, False), ("", False), ("VER 1", False),
		("/VER", False), ("VER/", False), ("VER//1", False), ("VER/1", True), ("VÉR-1", False)],
)
def test_reference_characters_and_length(reference, ok):
	"""SEPA's allowed characters, at most 35, no leading/trailing/double slash."""
	assert rules.is_valid_reference(reference) is ok


def test_made_references_are_always_valid():
	"""Odd member ids are stripped and cut, and the version stays visible."""
	for member_id in ("1000", "T-abc_ü/9", "x" * 60, ""):
		reference = rules.make_reference(member_id, 12)
		assert rules.is_valid_reference(reference) and reference.endswith("-12")
	assert rules.make_reference("1000") == "VER-1000-1"


def test_next_version_follows_the_highest():
	assert rules.next_version([]) == 1
	assert rules.next_version(["VER-1000-1", "VER-1000-3", "junk"]) == 4


def test_sequence_type_switches_after_the_first_collection_only():
	"""FRST until a collection went through, then RCUR for good."""
	assert rules.sequence_type_after_collection(rules.FIRST, False) == rules.FIRST
	assert rules.sequence_type_after_collection(rules.FIRST, True) == rules.RECURRING
	assert rules.sequence_type_after_collection(rules.RECURRING, False) == rules.RECURRING


@pytest.mark.parametrize(
	"values, active, action",
	[
		({}, None, rules.CREATE),
		({}, VALID, rules.UNCHANGED),
		({}, "nl91 abna 0417 1643 00", rules.UNCHANGED),
		({"iban": OTHER}, VALID, rules.AMEND),
		({"iban": ""}, None, rules.INELIGIBLE),
		({"contribution_amount": 0}, None, rules.INELIGIBLE),
		({"status": "Terminated"}, None, rules.INELIGIBLE),
		({"iban": "NL91ABNA0417164301"}, None, rules.INELIGIBLE),
	],
)
def test_plan_mandate(values, active, action):
	assert rules.plan_mandate(member(**values), active).action == action


def test_invalid_iban_plan_keeps_the_iban_for_a_failed_verdict():
	plan = rules.plan_mandate(member(iban="NL91ABNA0417164301"), None)
	assert plan.iban and "invalid IBAN" in plan.reason


def test_check_iban_and_bic():
	"""stdnum validates; schwifty derives Dutch BICs offline."""
	assert check_iban("nl91 abna 0417 1643 00").compact == VALID
	assert not check_iban("NL91ABNA0417164301").valid
	assert check_iban("").reason == "missing"
	assert derive_bic(VALID) == "ABNANL2A"
	assert derive_bic(OTHER) == "RABONL2U"
	assert derive_bic("XX00") == ""


@pytest.mark.parametrize(
	"iban, problem",
	[(VALID, ""), ("NL91ABNA0417164301", "check digits do not match"), ("NL91ABNA041716430", "check digits do not match"),
		("", "no IBAN"), ("NL91-ABNA!", "wrong format")],
)
def test_an_invalid_iban_says_why_in_words(iban, problem):
	assert check_iban(iban).problem == problem


def test_every_reason_stdnum_gives_has_words():
	assert iban_reason_text("InvalidLength") == "wrong length for its country"
	assert iban_reason_text("InvalidComponent") == "unknown country or bank code"
	assert iban_reason_text("SomethingNew") == "wrong format"


def test_masked_details_reach_nested_values():
	details = masked_details({"iban": VALID, "list": [f"to {OTHER}"], "n": 3})
	assert VALID not in str(details) and OTHER not in str(details) and details["n"] == 3
