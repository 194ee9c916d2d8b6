"""pain.008.001.02 direct debit files through the ``sepaxml`` library, validated against its schema."""

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sepaxml import SepaDD
from sepaxml.validation import try_valid_xml
from stdnum.eu import at_02
from stdnum.exceptions import ValidationError

from verenigingen.core.sepa.mandates import NEW_BANK, Amendment

SCHEMA = "pain.008.001.02"
NAMESPACE = {"p": f"urn:iso:std:iso:20022:tech:xsd:{SCHEMA}"}


@dataclass(frozen=True)
class Creditor:
	name: str
	iban: str
	bic: str
	creditor_id: str


@dataclass(frozen=True)
class Collection:
	"""One debit: the debtor's account, the mandate and the amount in cents."""

	name: str
	iban: str
	bic: str
	amount_cents: int
	mandate_id: str
	mandate_date: date
	sequence_type: str
	description: str
	end_to_end_id: str
	amendment: Amendment | None = None


def check_creditor_id(value: str) -> str:
	"""A SEPA creditor identifier (e.g. ``NL98ZZZ999999999999``), compact; raises ValueError when invalid."""
	try:
		return at_02.validate(value or "")
	except ValidationError as exc:
		raise ValueError(f"invalid creditor identifier ({type(exc).__name__})") from None


def build_pain008(creditor: Creditor, collection_date: date, collections: list[Collection]) -> bytes:
	"""The XML of one file; sepaxml validates it against the pain.008.001.02 XSD before returning."""
	document = SepaDD(
		{
			"name": creditor.name,
			"IBAN": creditor.iban,
			"BIC": creditor.bic,
			"batch": True,
			"creditor_id": check_creditor_id(creditor.creditor_id),
			"currency": "EUR",
		},
		schema=SCHEMA,
	)
	for item in collections:
		payment = {
			"name": item.name,
			"IBAN": item.iban,
			"amount": int(item.amount_cents),
			"type": item.sequence_type,
			"collection_date": collection_date,
			"mandate_id": item.mandate_id,
			"mandate_date": item.mandate_date,
			"description": item.description,
			"endtoend_id": item.end_to_end_id,
		}
		if item.bic:
			payment["BIC"] = item.bic
		document.add_payment(payment)
	amendments = {item.end_to_end_id: item.amendment for item in collections if item.amendment}
	if not amendments:
		return document.export(validate=True)
	xml = add_amendments(document.export(validate=False), amendments)
	try_valid_xml(xml, SCHEMA)
	return xml


def add_amendments(xml: bytes, amendments: dict[str, Amendment]) -> bytes:
	"""Add AmdmntInd and AmdmntInfDtls (sepaxml 2.7 has no field for them) to the named transactions.

	Same bank: OrgnlMndtId and OrgnlDbtrAcct (the old IBAN); another bank: OrgnlMndtId and
	OrgnlDbtrAgt ``SMNDA``. The elements go right after DtOfSgntr, where the schema wants them.
	"""
	ns = NAMESPACE["p"]
	ET.register_namespace("", ns)
	root = ET.fromstring(xml)
	for tx in root.iterfind(".//p:DrctDbtTxInf", NAMESPACE):
		amendment = amendments.get(tx.findtext("p:PmtId/p:EndToEndId", namespaces=NAMESPACE))
		if not amendment:
			continue
		related = tx.find("p:DrctDbtTx/p:MndtRltdInf", NAMESPACE)
		position = list(related).index(related.find("p:DtOfSgntr", NAMESPACE)) + 1
		related.insert(position, _element(ns, "AmdmntInd", "true"))
		related.insert(position + 1, _amendment_details(ns, amendment))
	return b'<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(root, "utf-8")


def _element(ns: str, tag: str, text: str | None = None, *children) -> ET.Element:
	node = ET.Element(f"{{{ns}}}{tag}")
	node.text = text
	node.extend(children)
	return node


def _amendment_details(ns: str, amendment: Amendment) -> ET.Element:
	details = _element(ns, "AmdmntInfDtls", None, _element(ns, "OrgnlMndtId", amendment.original_mandate_id))
	if amendment.kind == NEW_BANK:
		other = _element(ns, "Othr", None, _element(ns, "Id", NEW_BANK))
		details.append(_element(ns, "OrgnlDbtrAgt", None, _element(ns, "FinInstnId", None, other)))
	else:
		account_id = _element(ns, "Id", None, _element(ns, "IBAN", amendment.original_iban))
		details.append(_element(ns, "OrgnlDbtrAcct", None, account_id))
	return details


def read_totals(xml: bytes) -> dict:
	"""Count and control sum as the file's group header states them, and as its transactions add up."""
	root = ET.fromstring(xml)
	header = root.find("p:CstmrDrctDbtInitn/p:GrpHdr", NAMESPACE)
	amounts = [Decimal(node.text) for node in root.iterfind(".//p:DrctDbtTxInf/p:InstdAmt", NAMESPACE)]
	return {
		"header_count": int(header.find("p:NbOfTxs", NAMESPACE).text),
		"header_sum": Decimal(header.find("p:CtrlSum", NAMESPACE).text),
		"count": len(amounts),
		"sum": sum(amounts, Decimal(0)),
	}
