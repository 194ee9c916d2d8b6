"""pain.008.001.02 direct debit files through the ``sepaxml`` library, validated against its schema."""

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sepaxml import SepaDD
from stdnum.eu import at_02
from stdnum.exceptions import ValidationError

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
	return document.export(validate=True)


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
