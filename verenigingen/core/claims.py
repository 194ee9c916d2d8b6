"""Who is processing a request, and whether that process is still alive.

A request's claim names the process that took it: host, process id, and (in a background job)
the rq worker and job. Liveness is judged the way rq itself judges workers: a busy rq worker
writes a heartbeat every ``job_monitoring_interval`` seconds (30 in rq 1.15) while its work
horse runs, so a heartbeat older than that interval plus a margin means the worker is gone,
wherever it runs. On this host the process table says it at once.

Pure: the shell reads Redis and the process table and passes plain values and the time.
"""

from dataclasses import dataclass
from datetime import datetime

ALIVE = "alive"
DEAD = "dead"
UNKNOWN = "unknown"

SEPARATOR = "|"
# Load on a busy host can delay a heartbeat a little past its interval.
HEARTBEAT_MARGIN_SECONDS = 10


def heartbeat_grace_seconds(job_monitoring_interval: int) -> int:
	"""How long a busy worker may be silent before it counts as gone."""
	if job_monitoring_interval <= 0:
		raise ValueError("the job monitoring interval must be positive")
	return job_monitoring_interval + HEARTBEAT_MARGIN_SECONDS


@dataclass(frozen=True)
class Claim:
	"""The process that claimed a request: ``host`` and ``pid`` of the process doing the work (a
	work horse), ``worker`` and ``job`` the rq worker that forked it and its job (empty outside rq).
	``nonce`` tells two claims of one process apart: the claim doubles as a fencing token."""

	host: str
	pid: int
	nonce: str = ""
	worker: str = ""
	job: str = ""

	def encode(self) -> str:
		return SEPARATOR.join((self.host, str(self.pid), self.nonce, self.worker, self.job))


def parse_claim(text: str | None) -> Claim | None:
	"""The claim stored on a request, or None for a request claimed before claims were recorded."""
	parts = (text or "").split(SEPARATOR, 4)
	if len(parts) != 5 or not parts[0] or not parts[1].isdigit():
		return None
	return Claim(parts[0], int(parts[1]), *parts[2:])


@dataclass(frozen=True)
class WorkerBeat:
	"""What Redis holds about an rq worker: its last heartbeat (UTC) and the job it runs.

	After a Redis flush a live worker's next heartbeat writes the key again with the heartbeat
	alone, so ``current_job`` may be empty for a worker that is busy.
	"""

	last_heartbeat: datetime | None
	current_job: str | None = None


def claim_state(
	claim: Claim,
	claimed_at: datetime,
	now: datetime,
	grace_seconds: float,
	this_host: str,
	process_alive: bool | None,
	beat: WorkerBeat | None,
) -> str:
	"""ALIVE, DEAD or UNKNOWN for the process holding a claim.

	- On this host the process table decides (``process_alive``; None when it cannot tell).
	- Elsewhere the rq worker's heartbeat decides: fresh and on this job (or on no job Redis
	  knows of, as after a flush) is alive; fresh but on another job means the claiming job is
	  over; silent for longer than the grace is dead, once the claim itself is older than the
	  grace (a flushed Redis holds no heartbeat until the worker's next one).
	- A claim made outside rq on another host cannot be judged: UNKNOWN (the stuck threshold
	  applies).
	"""
	if claim.host == this_host and process_alive is not None:
		return ALIVE if process_alive else DEAD
	if not claim.worker:
		return UNKNOWN
	if beat and beat.last_heartbeat and _age(beat.last_heartbeat, now) <= grace_seconds:
		if beat.current_job and claim.job and beat.current_job != claim.job:
			return DEAD
		return ALIVE
	if _age(claimed_at, now) <= grace_seconds:
		return UNKNOWN
	return DEAD


def worker_alive(
	hostname: str | None,
	this_host: str,
	process_alive: bool | None,
	last_heartbeat: datetime | None,
	now: datetime,
	grace_seconds: float,
) -> bool:
	"""Whether a busy worker registered in Redis is alive: its process here, its heartbeat elsewhere."""
	if hostname == this_host and process_alive is not None:
		return process_alive
	return bool(last_heartbeat) and _age(last_heartbeat, now) <= grace_seconds


def _age(moment: datetime, now: datetime) -> float:
	return (now - moment).total_seconds()
