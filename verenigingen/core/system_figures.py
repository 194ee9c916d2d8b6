"""Figures for outside tools: CPU use from two samples, and the overall health status.

Pure: the shell samples /proc (through psutil), the database and Redis and passes plain values.
"""

from dataclasses import dataclass

OK = "ok"
DEGRADED = "degraded"
DOWN = "down"

# A CPU sample older than this says nothing about now: report unknown instead.
MAX_CPU_SAMPLE_AGE_SECONDS = 15 * 60
# A figure is measured over at least this long: a call sooner after the last measurement repeats it.
MIN_CPU_WINDOW_SECONDS = 1.0


@dataclass(frozen=True)
class CpuSample:
	"""Cumulative CPU seconds of the machine (``busy`` excludes idle and iowait) at ``taken_at``."""

	taken_at: float
	busy: float
	total: float


def usable_pair(earlier: CpuSample | None, later: CpuSample) -> bool:
	"""Two samples that say something about now: in order, CPU time spent between them, not too old."""
	if earlier is None:
		return False
	age = later.taken_at - earlier.taken_at
	return 0 < age <= MAX_CPU_SAMPLE_AGE_SECONDS and later.total - earlier.total > 0


def too_soon_to_measure(earlier: CpuSample | None, later: CpuSample) -> bool:
	"""Whether the last figure still stands: the kept sample was taken under MIN_CPU_WINDOW_SECONDS ago.

	Two calls within one tick of the kernel's CPU clock (several page parts loading at once) would
	otherwise find no CPU time spent between them and wait for a second sample of their own.
	"""
	return earlier is not None and 0 <= later.taken_at - earlier.taken_at < MIN_CPU_WINDOW_SECONDS


def cpu_percent_between(earlier: CpuSample | None, later: CpuSample) -> float | None:
	"""Busy share of the CPU time between two samples; None when there is no usable earlier one."""
	if not usable_pair(earlier, later):
		return None
	spent = later.total - earlier.total
	return round(max(0.0, min(100.0, (later.busy - earlier.busy) * 100 / spent)), 1)


@dataclass(frozen=True)
class HealthFacts:
	database: bool
	redis_cache: bool
	redis_queue: bool
	scheduler_enabled: bool | None
	bulk_backlog_without_workers: bool
	open_critical_alerts: int | None


def health_status(facts: HealthFacts) -> str:
	"""down when the database or Redis cannot be reached; degraded when work would not get done."""
	if not (facts.database and facts.redis_cache and facts.redis_queue):
		return DOWN
	if facts.scheduler_enabled is False or facts.bulk_backlog_without_workers or facts.open_critical_alerts:
		return DEGRADED
	return OK
