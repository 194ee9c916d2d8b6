"""Reading a bank's answer to a direct debit file: pain.002 status reports and camt.054 notifications.

Only what the batch needs: per end-to-end id, was it rejected (pain.002 ``TxSts`` RJCT) or returned
after settlement (camt.054 entry details with ``RtrInf``), and the ISO reason code. Namespaces
differ per version (pain.002.001.03, camt.054.001.02 ...); elements are matched by local name.
"""

import xml.etree.ElementTree as ET
from dataclasses import dataclass

REJECTED = "Rejected"
REVERSED = "Reversed"


@dataclass(frozen=True)
class ReturnedCollection:
	end_to_end_id: str
	status: str
	reason_code: str


def _local(tag: str) -> str:
	return tag.rsplit("}", 1)[-1]


def _find(node, *path: str):
	"""The first descendant following ``path`` by local names (any depth per step)."""
	for name in path:
		node = next((child for child in node.iter() if child is not node and _local(child.tag) == name), None)
		if node is None:
			return None
	return node


def _text(node, *path: str) -> str:
	found = _find(node, *path)
	return (found.text or "").strip() if found is not None else ""


def parse_bank_return(content: bytes | str) -> list[ReturnedCollection]:
	"""Rejected (pain.002) and returned (camt.054) collections in a bank file; raises ValueError when unreadable."""
	try:
		root = ET.fromstring(content.encode() if isinstance(content, str) else content)
	except ET.ParseError as exc:
		raise ValueError(f"not an XML file ({exc})") from None
	found = []
	for node in root.iter():
		name = _local(node.tag)
		if name == "TxInfAndSts" and _text(node, "TxSts") == "RJCT":
			found.append(
				ReturnedCollection(_text(node, "OrgnlEndToEndId"), REJECTED, _text(node, "StsRsnInf", "Cd"))
			)
		elif name == "TxDtls" and _find(node, "RtrInf") is not None:
			found.append(ReturnedCollection(_text(node, "EndToEndId"), REVERSED, _text(node, "RtrInf", "Cd")))
	return [item for item in found if item.end_to_end_id]
