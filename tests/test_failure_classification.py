"""verenigingen.core.failure_classification"""

import pytest

from verenigingen.core.failure_classification import PERMANENT, TRANSIENT, classify_failure, short_reason


@pytest.mark.parametrize(
	"names, code",
	[
		(["QueryDeadlockError", "Exception"], None),
		(["QueryTimeoutError"], None),
		(["OperationalError"], 1205),
		(["OperationalError"], 1213),
		(["OperationalError"], 2006),
		(["OperationalError"], 2013),
		(["ConnectionError", "RedisError"], None),
		(["TimeoutError", "OSError"], None),
		(["TransientFailure", "Exception"], None),
	],
)
def test_transient_failures(names, code):
	"""Locks, deadlocks, lost connections, timeouts and Redis errors are retried."""
	assert classify_failure(names, code) == TRANSIENT


@pytest.mark.parametrize(
	"names, code",
	[
		(["ValidationError", "Exception"], None),
		(["DuplicateEntryError", "IntegrityError"], 1062),
		(["PermissionError", "Exception"], None),
		(["LinkValidationError", "ValidationError"], None),
		(["PermanentFailure", "ValidationError"], None),
		(["KeyError"], None),
	],
)
def test_permanent_failures(names, code):
	"""Validation, duplicates, permissions and unknown errors wait for a human."""
	assert classify_failure(names, code) == PERMANENT


def test_short_reason_takes_first_line_and_trims():
	"""Reasons group by their first line, cut to a readable length."""
	assert short_reason("Lock wait\ntraceback...") == "Lock wait"
	assert short_reason("") == "Unknown error"
	assert len(short_reason("x" * 500)) == 140


def test_frappe_user_throttle_is_transient():
	"""Frappe throws its creation throttle as ValidationError('Throttled'): retry later."""
	assert classify_failure(["ValidationError", "Exception"], None, "Throttled") == TRANSIENT
	assert classify_failure(["ValidationError", "Exception"], None, "Throttled or not") == PERMANENT
