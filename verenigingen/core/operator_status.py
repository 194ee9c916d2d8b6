"""What needs an operator: the verdict and exit code of ``bench verenigingen-status``, from figures passed in.

Exit codes are bits, added up when more than one holds, so one run of the command tells cron and
a monitoring system everything at once; 1 and 2 stay what Python and click use for a crash or a
wrong option:

    0   nothing needs an operator
    4   members wait for the ``bulk`` queue and no live bulk worker serves it
    8   a Critical alert is open (Open or Acknowledged)
    16  the queues could not be read (Redis unreachable), so the worker check could not be made

The live worker count is an argument: whoever calls decides how workers are found (the command reads
rq's worker registry), and the decision itself is tested without any worker.
"""

from dataclasses import dataclass
from datetime import datetime

from verenigingen.core import bulk_progress
from verenigingen.core.mijnrood.errors import Message

OK = 0
NO_BULK_WORKER = 4
CRITICAL_ALERT = 8
QUEUES_UNREADABLE = 16
EXIT_CODES = {
	"no_bulk_worker": NO_BULK_WORKER,
	"critical_alert": CRITICAL_ALERT,
	"queues_unreadable": QUEUES_UNREADABLE,
}


@dataclass(frozen=True)
class Problem:
	"""One thing an operator must look at: a stable ``code``, its exit bit and a sentence."""

	code: str
	message: Message

	@property
	def exit_bit(self) -> int:
		return EXIT_CODES[self.code]


def find_problems(members_waiting: int, live_bulk_workers: int | None, critical_alerts: int) -> list[Problem]:
	"""The problems the figures show; ``live_bulk_workers`` None means the queues could not be read."""
	problems = []
	if live_bulk_workers is None:
		problems.append(Problem("queues_unreadable", Message("the queues could not be read: is Redis running?")))
	elif members_waiting > 0 and live_bulk_workers <= 0:
		problems.append(
			Problem(
				"no_bulk_worker",
				Message("{0} members wait for the bulk queue and no bulk worker is running", members_waiting),
			)
		)
	if critical_alerts > 0:
		problems.append(Problem("critical_alert", Message("{0} Critical alerts are open", critical_alerts)))
	return problems


def exit_code(problems: list[Problem]) -> int:
	"""The sum of the problems' bits (each counted once); 0 when there are none."""
	code = OK
	for problem in problems:
		code |= problem.exit_bit
	return code


def live_workers(workers: list[dict]) -> int:
	"""Workers whose process is alive or cannot be checked from here (another host): unknown is not dead."""
	return sum(1 for worker in workers if worker.get("alive") is not False)


def run_progress(run: dict, now: datetime) -> dict:
	"""A run's percentage, rate per minute (time paused left out) and expected finish (None: unknown).

	``run`` holds a Bulk Operation Tracker's total, processed, status, started_at, paused_at and
	paused_seconds. A paused run has no expected finish: it waits for an operator, not for time.
	"""
	total, processed = int(run.get("total") or 0), int(run.get("processed") or 0)
	paused = run.get("status") == bulk_progress.PAUSED
	end = run.get("paused_at") if paused and run.get("paused_at") else now
	rate = bulk_progress.rate_per_minute(processed, run.get("started_at"), end, run.get("paused_seconds") or 0)
	remaining = max(total - processed, 0)
	return {
		"percent": round(processed * 100 / total, 1) if total else None,
		"rate_per_minute": rate,
		"remaining": remaining,
		"eta": None if paused else bulk_progress.estimate_finish(remaining, rate, now),
	}
