"""This site's view of the queues: every configured queue's status (bench-wide figures with this
site's beside them, ``verenigingen.shared.queues``) and the members waiting for an account.
"""

import frappe
from frappe.utils import now_datetime

from verenigingen.account_creation.tracker import members_waiting
from verenigingen.shared.queues import configured_queues, count_workers, queue_status

__all__ = ["all_queue_status", "configured_queues", "count_workers", "members_waiting", "queue_status"]
# Figures of each queue that count every site of the bench (``site`` holds this site's share).
BENCH_WIDE_FIGURES = ("queued", "started", "failed", "scheduled", "deferred", "workers")


def all_queue_status() -> dict:
	"""Every configured queue's status and the members waiting for an account (this site's).

	A queue's ``queued``, ``started``, ``failed``, ``scheduled``, ``deferred`` and ``workers`` count the
	whole bench (``bench_wide_figures``); its ``site`` holds this site's jobs and busy workers.
	"""
	waiting = [
		{**row, "queued": int(row.queued), "processing": int(row.processing)} for row in members_waiting()
	]
	return {
		"queues": {queue: queue_status(queue) for queue in configured_queues()},
		"members_waiting": sum(row["queued"] + row["processing"] for row in waiting),
		"members_waiting_per_tracker": waiting,
		"site": frappe.local.site,
		"bench_wide_figures": BENCH_WIDE_FIGURES,
		"checked_at": now_datetime(),
	}
