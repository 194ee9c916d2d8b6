"""verenigingen.core.system_figures"""

import pytest

from verenigingen.core.system_figures import (
	DEGRADED,
	DOWN,
	OK,
	CpuSample,
	HealthFacts,
	cpu_percent_between,
	health_status,
	too_soon_to_measure,
	usable_pair,
)


def test_cpu_percent_from_two_samples():
	assert cpu_percent_between(CpuSample(100.0, 10.0, 40.0), CpuSample(110.0, 15.0, 60.0)) == 25.0


@pytest.mark.parametrize(
	"earlier, later",
	[
		(None, CpuSample(1.0, 1.0, 2.0)),  # first call: unknown, never 0
		(CpuSample(1.0, 1.0, 2.0), CpuSample(1.0, 1.0, 2.0)),  # no time passed
		(CpuSample(0.0, 1.0, 2.0), CpuSample(3600.0, 2.0, 9.0)),  # too old to say anything about now
	],
)
def test_cpu_percent_unknown(earlier, later):
	assert cpu_percent_between(earlier, later) is None


@pytest.mark.parametrize(
	"earlier, later, usable",
	[
		(None, CpuSample(1.0, 1.0, 2.0), False),  # nothing kept: the shell takes a second sample
		(CpuSample(1.0, 1.0, 2.0), CpuSample(1.5, 1.2, 3.0), True),
		(CpuSample(2.0, 1.0, 2.0), CpuSample(1.0, 1.2, 3.0), False),  # out of order
		(CpuSample(1.0, 1.0, 2.0), CpuSample(1.5, 1.0, 2.0), False),  # the CPU clock did not move
		(CpuSample(0.0, 1.0, 2.0), CpuSample(15 * 60 + 1.0, 2.0, 9.0), False),  # too old
		(CpuSample(0.0, 1.0, 2.0), CpuSample(15 * 60.0, 2.0, 9.0), True),  # just young enough
	],
)
def test_usable_pair_decides_when_a_second_sample_is_needed(earlier, later, usable):
	"""A usable pair gives a figure; otherwise the shell samples twice instead of reporting nothing."""
	assert usable_pair(earlier, later) is usable
	assert (cpu_percent_between(earlier, later) is not None) is usable


@pytest.mark.parametrize(
	"earlier, later, too_soon",
	[
		(None, CpuSample(1.0, 1.0, 2.0), False),  # nothing kept, no figure to repeat
		(CpuSample(1.0, 1.0, 2.0), CpuSample(1.0, 1.0, 2.0), True),  # the same clock tick
		(CpuSample(1.0, 1.0, 2.0), CpuSample(1.99, 1.2, 3.0), True),
		(CpuSample(1.0, 1.0, 2.0), CpuSample(2.0, 1.2, 3.0), False),  # a second on: measured anew
		(CpuSample(2.0, 1.0, 2.0), CpuSample(1.0, 1.2, 3.0), False),  # out of order: measured anew
	],
)
def test_a_call_within_a_second_repeats_the_last_figure(earlier, later, too_soon):
	"""Back-to-back calls (page parts loading at once) neither wait for a second sample nor give a figure
	over a few milliseconds."""
	assert too_soon_to_measure(earlier, later) is too_soon


def facts(**changes):
	values = {
		"database": True,
		"redis_cache": True,
		"redis_queue": True,
		"scheduler_enabled": True,
		"bulk_backlog_without_workers": False,
		"open_critical_alerts": 0,
	}
	values.update(changes)
	return HealthFacts(**values)


@pytest.mark.parametrize(
	"changes, status",
	[
		({}, OK),
		({"scheduler_enabled": None}, OK),
		({"database": False}, DOWN),
		({"redis_queue": False, "scheduler_enabled": False}, DOWN),
		({"scheduler_enabled": False}, DEGRADED),
		({"bulk_backlog_without_workers": True}, DEGRADED),
		({"open_critical_alerts": 2}, DEGRADED),
	],
)
def test_health_status(changes, status):
	assert health_status(facts(**changes)) == status
