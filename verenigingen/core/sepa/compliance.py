"""The compliance verdict of each SEPA step, from what the code actually checked."""

from decimal import Decimal

COMPLIANT = "Compliant"
EXCEPTION = "Exception"
FAILED = "Failed"
PENDING_REVIEW = "Pending Review"
VERDICTS = (COMPLIANT, EXCEPTION, FAILED, PENDING_REVIEW)

# how bad each verdict is, for combining the verdicts of a batch's entries
_SEVERITY = {COMPLIANT: 0, PENDING_REVIEW: 1, EXCEPTION: 2, FAILED: 3}


def mandate_verdict(iban_valid: bool, signature_date) -> str:
	"""Invalid IBAN: Failed; no signature date: Exception; else Compliant."""
	if not iban_valid:
		return FAILED
	if not signature_date:
		return EXCEPTION
	return COMPLIANT


def entry_verdict(amount, max_amount, iban_valid: bool = True, signature_date=True) -> str:
	"""A batch entry: the mandate's verdict, then Pending Review when over the configured maximum."""
	verdict = mandate_verdict(iban_valid, signature_date)
	if verdict != COMPLIANT:
		return verdict
	if max_amount and Decimal(str(amount)) > Decimal(str(max_amount)):
		return PENDING_REVIEW
	return COMPLIANT


def worst(verdicts) -> str:
	"""The most severe verdict of several (Compliant when there are none)."""
	return max(verdicts, key=_SEVERITY.__getitem__, default=COMPLIANT)


def outcome_verdict(status: str) -> str:
	"""A bank outcome: a reject or reversal is Failed, a collected entry Compliant."""
	return FAILED if status in ("Rejected", "Reversed") else COMPLIANT
