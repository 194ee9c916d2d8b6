"""A changed account of a mandate the bank knows: amendment details in pain.008, FRST/RCUR, XSD-valid."""

from datetime import date

import pytest
import sepaxml
from lxml import etree

from verenigingen.core.sepa import mandates
from verenigingen.core.sepa.pain008 import Collection, Creditor, build_pain008

CREDITOR = Creditor("Vereniging Zoë", "NL91ABNA0417164300", "ABNANL2A", "NL69ZZZ123456780000")
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}
RABO_OLD, RABO_NEW, INGB = "NL25RABO0497465075", "NL44RABO0123456789", "NL20INGB0001234567"


def test_same_bank_keeps_the_series_and_names_the_old_account():
	amendment = mandates.plan_amendment("VER-7-1", RABO_OLD, RABO_NEW)
	assert (amendment.kind, amendment.original_iban, amendment.sequence_type) == ("Account", RABO_OLD, "RCUR")


def test_another_bank_is_smnda_and_starts_with_frst():
	amendment = mandates.plan_amendment("VER-7-1", RABO_OLD, INGB)
	assert (amendment.kind, amendment.original_iban, amendment.sequence_type) == ("SMNDA", "", "FRST")


@pytest.mark.parametrize(
	"old, known",
	[
		({"name": "A", "sequence_type": "RCUR"}, "A"),  # collected: the bank knows it
		({"name": "A", "sequence_type": "FRST"}, None),  # never collected: nothing to amend
		({"name": "B", "sequence_type": "RCUR", "amendment_pending": 1, "original_mandate": "A"}, "A"),
		({"name": "B", "sequence_type": "FRST", "amendment_pending": 1, "original_mandate": "A"}, "A"),
	],
)
def test_the_mandate_the_bank_knows(old, known):
	"""Two changes before a collection still refer to the last mandate the bank saw."""
	assert mandates.known_to_bank(old) == known


def collection(n, amendment=None, sequence="RCUR"):
	return Collection(f"Lid {n}", RABO_NEW if n else INGB, "", 750, f"VER-{n}-2", date(2024, 1, 1), sequence,
		"Contributie M2027-01", f"DDB-1-{n}", amendment)


def test_pain008_carries_the_amendments_and_validates():
	same_bank = mandates.plan_amendment("VER-1-1", RABO_OLD, RABO_NEW)
	new_bank = mandates.plan_amendment("VER-0-1", RABO_OLD, INGB)
	xml = build_pain008(CREDITOR, date(2027, 1, 15), [collection(0, new_bank, "FRST"), collection(1, same_bank),
		collection(2)])
	xsd = etree.XMLSchema(etree.parse(f"{sepaxml.__path__[0]}/schemas/pain.008.001.02.xsd"))
	root = etree.fromstring(xml)
	assert xsd.validate(root), xsd.error_log
	tx = {node.findtext("p:PmtId/p:EndToEndId", namespaces=NS): node for node in root.iterfind(".//p:DrctDbtTxInf", NS)}
	info = "p:DrctDbtTx/p:MndtRltdInf/"
	assert tx["DDB-1-0"].findtext(info + "p:AmdmntInd", namespaces=NS) == "true"
	assert tx["DDB-1-0"].findtext(info + "p:AmdmntInfDtls/p:OrgnlMndtId", namespaces=NS) == "VER-0-1"
	assert tx["DDB-1-0"].findtext(info + "p:AmdmntInfDtls/p:OrgnlDbtrAgt/p:FinInstnId/p:Othr/p:Id", namespaces=NS) == "SMNDA"
	assert tx["DDB-1-1"].findtext(info + "p:AmdmntInfDtls/p:OrgnlDbtrAcct/p:Id/p:IBAN", namespaces=NS) == RABO_OLD
	assert tx["DDB-1-1"].find(info + "p:AmdmntInfDtls/p:OrgnlDbtrAgt", NS) is None
	assert tx["DDB-1-2"].find(info + "p:AmdmntInd", NS) is None
	sequence = {
		pmt.findtext("p:PmtTpInf/p:SeqTp", namespaces=NS): [
			t.findtext("p:PmtId/p:EndToEndId", namespaces=NS) for t in pmt.iterfind("p:DrctDbtTxInf", NS)
		]
		for pmt in root.iterfind(".//p:PmtInf", NS)
	}
	assert sequence == {"FRST": ["DDB-1-0"], "RCUR": ["DDB-1-1", "DDB-1-2"]}


def test_a_file_without_amendments_is_sepaxmls_own_output():
	xml = build_pain008(CREDITOR, date(2027, 1, 15), [collection(2)])
	assert b"AmdmntInd" not in xml and b"xmlns:xsi" in xml
