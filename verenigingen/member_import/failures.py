"""A failed row or chapter of an import: its reason for the user, unexpected errors logged once."""

from verenigingen.member_import import DOCTYPE
from verenigingen.shared.failures import EXPECTED_ERRORS, failure_reason, reason_and_log

__all__ = ["EXPECTED_ERRORS", "failure_reason", "log_failure"]


def log_failure(exc: Exception, import_name: str, what: str) -> str:
	"""Return the reason; log unexpected errors once, traceback without local values, IBANs masked."""
	return reason_and_log(exc, f"Mijnrood import {import_name}: {what} failed", DOCTYPE, import_name)
