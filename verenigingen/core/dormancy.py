"""When a bulk run must tell Frappe's scheduler that the site is in use.

Frappe runs a site's scheduled jobs once a day only while its newest Activity Log row is older
than ``dormant_days`` (System Settings, at least one day). A run in progress writes a row when the
newest is older than ``refresh_seconds``, well inside that, so the site never turns dormant under
a run and its retries and recovery keep running every minute.
"""

from datetime import datetime

# Hours, against a dormancy of days: a run never lets the newest row get near it.
REFRESH_SECONDS = 3600


def activity_due(last_activity: datetime | None, now: datetime, refresh_seconds: float = REFRESH_SECONDS) -> bool:
	"""Whether a run in progress should record activity now."""
	if refresh_seconds <= 0:
		raise ValueError("refresh_seconds must be positive")
	return last_activity is None or (now - last_activity).total_seconds() >= refresh_seconds
