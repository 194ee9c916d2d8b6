"""Parser and planner messages in the user's language, IBANs masked."""

from frappe import _

from verenigingen.core.masking import mask_ibans_in_text
from verenigingen.core.mijnrood import Message


def message_text(message: object) -> str:
	"""Translate a ``Message`` (its template and, recursively, its arguments); mask IBANs."""
	return mask_ibans_in_text(_translated(message))


def _translated(message: object) -> str:
	if isinstance(message, Message):
		return _(message.template).format(*(_translated(arg) for arg in message.args))
	return str(message)
