"""Transient or permanent: decides whether a failed account request is retried by itself."""

from collections.abc import Iterable

TRANSIENT = "transient"
PERMANENT = "permanent"

# Exception class names (anywhere in the MRO) that mean "try again later".
TRANSIENT_EXCEPTION_NAMES = frozenset(
	{
		"QueryDeadlockError",
		"QueryTimeoutError",
		"LockWaitTimeoutError",
		"InterfaceError",
		"ConnectionError",
		"TimeoutError",
		"BusyLoadingError",
		"RetryBackgroundJobError",
		"Throttled",
		"TransientFailure",
	}
)
# MariaDB client/server error codes that are transient: lock wait timeout, deadlock,
# too many connections, can't connect, server gone away, lost connection.
TRANSIENT_DB_ERROR_CODES = frozenset({1205, 1213, 1040, 2002, 2003, 2006, 2013})
# Messages of generic errors that mean "later": Frappe throws its User throttle as a plain
# ValidationError("Throttled").
TRANSIENT_MESSAGES = frozenset({"Throttled"})


def classify_failure(exception_names: Iterable[str], db_error_code: int | None = None, message: str = "") -> str:
	"""Classify by the exception's class names (its MRO), database error code and message.

	Anything not known to be transient is permanent: an unknown error waits for a human
	instead of being retried six times.
	"""
	if db_error_code in TRANSIENT_DB_ERROR_CODES:
		return TRANSIENT
	if TRANSIENT_EXCEPTION_NAMES.intersection(exception_names):
		return TRANSIENT
	if (message or "").strip() in TRANSIENT_MESSAGES:
		return TRANSIENT
	return PERMANENT


def short_reason(message: str, limit: int = 140) -> str:
	"""First line of an error message, trimmed, for grouping errors by reason."""
	first_line = (message or "").strip().splitlines()[0] if (message or "").strip() else "Unknown error"
	return first_line if len(first_line) <= limit else first_line[: limit - 1] + "…"
