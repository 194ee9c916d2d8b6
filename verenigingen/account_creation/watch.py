"""Recovery through the whole minute while a bulk run is open (account requests, and the batches
of runs over plain items: item_runs.py).

Frappe's scheduler enqueues ``process_retry_queues`` once a minute. A worker that dies just after
that would wait almost a minute for the next one, on top of the time it takes to tell it is
gone. So while some run still has requests to do, the job keeps looking every few seconds
until shortly before the next minute's job is due (ending earlier than that, or the scheduler
would find it still queued and skip a minute). With no open run it ends at once; called outside
a background job (a test, ``bench execute``) it does not watch.
"""

import time
from datetime import datetime

import frappe
import pymysql
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import get_current_job
from rq.utils import utcnow

from verenigingen.account_creation import item_runs, retry
from verenigingen.account_creation.site_activity import keep_site_active, open_run

# The next minute's job is enqueued 60 s after this one was: end before it.
WATCH_UNTIL_SECONDS = 50
WATCH_INTERVAL_SECONDS = 5
# MariaDB restarted or gone away, or the connection refused while it starts again.
LOST_CONNECTION_CODES = (2003, 2006, 2013)


def scheduler_pass(stuck_after_minutes: int) -> dict:
	"""The minute's work: due retries, stranded requests, the site kept active, then the watch."""
	recovered = retry.recover_stuck_requests(stuck_after_minutes)
	retried = retry.retry_due_requests()
	keep_site_active()
	# Commit before watching: this pass's jobs are enqueued after commit.
	frappe.db.commit()
	recovered += item_runs.recover_lost_item_batches()
	recovered += watch_open_runs(stuck_after_minutes)
	return {"retried": retried, "recovered": recovered}


def watch_open_runs(stuck_after_minutes: int) -> int:
	"""Recover stranded requests every few seconds while a run is open; return how many."""
	deadline = time.monotonic() + seconds_left(watch_started_at())
	recovered = 0
	while time.monotonic() + WATCH_INTERVAL_SECONDS < deadline:
		time.sleep(WATCH_INTERVAL_SECONDS)
		try:
			if not open_run():
				break
			recovered += retry.recover_stuck_requests(stuck_after_minutes)
			# Commit each pass: the recovered requests' jobs are enqueued after commit.
			frappe.db.commit()
			recovered += item_runs.recover_lost_item_batches()
		except (pymysql.err.OperationalError, pymysql.err.InterfaceError) as exc:
			if not isinstance(exc, pymysql.err.InterfaceError) and exc.args[0] not in LOST_CONNECTION_CODES:
				raise
			reconnect()
		except RedisConnectionError:
			pass  # Redis restarting: the next pass reads it again
	return recovered


def watch_started_at() -> datetime | None:
	"""When the scheduler enqueued this job (UTC), or None outside a background job."""
	job = get_current_job()
	return job.enqueued_at if job else None


def seconds_left(enqueued_at: datetime | None) -> float:
	"""Watching time left; none outside a background job (a direct call, a test)."""
	if enqueued_at is None:
		return 0
	return WATCH_UNTIL_SECONDS - (utcnow() - enqueued_at.replace(tzinfo=None)).total_seconds()


def reconnect() -> None:
	"""A fresh database connection for the next pass (the database was restarted under this job)."""
	try:
		frappe.db.close()
	except Exception:  # noqa: BLE001 - the old connection is gone already
		pass
	try:
		frappe.db.connect()
	except pymysql.err.OperationalError:
		pass  # still starting: the next pass tries again
