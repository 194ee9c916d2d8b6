"""Due members, batch totals, compliance verdicts and the pain.008 file."""

from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from verenigingen.core.sepa import collection, compliance
from verenigingen.core.sepa.pain008 import Collection, Creditor, build_pain008, check_creditor_id, read_totals

CREDITOR = Creditor("Vereniging Zoë", "NL91ABNA0417164300", "ABNANL2A", "NL69ZZZ123456780000")


def member(name, period="Monthly", amount=7.5, since=date(2020, 3, 15), mandate="M"):
	return {"name": name, "mandate": mandate, "contribution_amount": amount, "contribution_period": period,
		"member_since": since}


@pytest.mark.parametrize(
	"period, month, due",
	[("Monthly", 7, True), ("Quarterly", 3, True), ("Quarterly", 6, True), ("Quarterly", 7, False),
		("Annually", 3, True), ("Annually", 4, False), ("", 3, False)],
)
def test_is_due_counts_from_the_start_month(period, month, due):
	assert collection.is_due(period, date(2026, month, 1), date(2020, 3, 15)) is due


def test_select_due_skips_no_mandate_no_amount_and_already_collected():
	members = [member("a"), member("b", mandate=None), member("c", amount=0), member("d"),
		member("e", period="Annually", since=None)]
	due = collection.select_due(members, date(2026, 1, 5), {("d", "M2026-01")})
	assert [(e.member, e.amount_cents, e.period_key) for e in due] == [("a", 750, "M2026-01"), ("e", 750, "A2026-01")]


def test_to_cents_rounds_half_up():
	assert collection.to_cents("7,5".replace(",", ".")) == 750
	assert collection.to_cents(0.125) == 13
	assert collection.batch_totals([750, 1250]) == {"count": 2, "total_cents": 2000, "control_sum": "20.00"}


def test_verdicts():
	"""Invalid IBAN Failed; no signature date Exception; over the maximum Pending Review."""
	assert compliance.mandate_verdict(False, date.today()) == compliance.FAILED
	assert compliance.mandate_verdict(True, None) == compliance.EXCEPTION
	assert compliance.entry_verdict(600, 500) == compliance.PENDING_REVIEW
	assert compliance.entry_verdict(500, 500) == compliance.COMPLIANT
	assert compliance.entry_verdict(600, 0) == compliance.COMPLIANT
	assert compliance.worst([compliance.COMPLIANT, compliance.PENDING_REVIEW]) == compliance.PENDING_REVIEW
	assert compliance.outcome_verdict("Rejected") == compliance.FAILED
	assert compliance.outcome_verdict("Collected") == compliance.COMPLIANT


def test_creditor_identifier_is_checked():
	assert check_creditor_id("nl69 zzz 123456780000") == "NL69ZZZ123456780000"
	with pytest.raises(ValueError):
		check_creditor_id("NL98ZZZ999999999999")


def collections(count):
	return [
		Collection(f"Lid {n} Çağla", "NL25RABO0497465075", "" if n % 3 else "RABONL2U", 750 + n, f"VER-{n}-1",
			date(2024, 1, 1), "FRST" if n % 2 else "RCUR", "Contributie M2026-12", f"DDB-1-{n}")
		for n in range(count)
	]


def test_pain008_validates_and_its_totals_match():
	"""The file passes the pain.008.001.02 XSD (checked again with lxml) and header = transactions."""
	xml = build_pain008(CREDITOR, date(2026, 12, 10), collections(25))
	totals = read_totals(xml)
	expected = sum(Decimal(750 + n) for n in range(25)) / 100
	assert totals == {"header_count": 25, "header_sum": expected, "count": 25, "sum": expected}
	import sepaxml

	xsd = etree.XMLSchema(etree.parse(f"{sepaxml.__path__[0]}/schemas/pain.008.001.02.xsd"))
	assert xsd.validate(etree.fromstring(xml)), xsd.error_log


def test_pain008_refuses_a_bad_creditor_id():
	bad = Creditor("X", "NL91ABNA0417164300", "ABNANL2A", "NL00ZZZ000")
	with pytest.raises(ValueError):
		build_pain008(bad, date(2026, 12, 10), collections(1))
