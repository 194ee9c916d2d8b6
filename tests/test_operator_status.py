"""The status command's verdict: which figures need an operator, and the exit code they give."""

from datetime import datetime, timedelta

import pytest

from verenigingen.core import operator_status as s

NOW = datetime(2026, 12, 3, 10, 0)


def codes(problems):
	return [problem.code for problem in problems]


def test_all_well_is_exit_zero():
	assert s.find_problems(0, 0, 0) == [] and s.exit_code([]) == 0
	assert s.exit_code(s.find_problems(500, 2, 0)) == 0


@pytest.mark.parametrize("waiting,workers,expected", [(1, 0, 4), (1, 1, 0), (0, 0, 0), (4700, 0, 4)])
def test_members_waiting_without_a_bulk_worker(waiting, workers, expected):
	"""The worker count is injected: the decision needs no running worker to be tested."""
	assert s.exit_code(s.find_problems(waiting, workers, 0)) == expected


def test_unreadable_queues_are_their_own_code_not_no_worker():
	problems = s.find_problems(10, None, 0)
	assert codes(problems) == ["queues_unreadable"] and s.exit_code(problems) == 16


def test_critical_alert():
	problems = s.find_problems(0, 0, 2)
	assert codes(problems) == ["critical_alert"] and s.exit_code(problems) == 8
	assert str(problems[0].message) == "2 Critical alerts are open"


def test_bits_add_up():
	assert s.exit_code(s.find_problems(3, 0, 1)) == 12
	assert s.exit_code(s.find_problems(3, None, 1)) == 24


def test_exit_codes_avoid_python_and_click_errors():
	"""1 is an uncaught exception, 2 a usage error: no bit and no sum of bits may be either."""
	bits = list(s.EXIT_CODES.values())
	assert len(set(bits)) == len(bits) and all(bit & (bit - 1) == 0 for bit in bits)
	assert not {1, 2} & {bit for bit in bits} and all(bit > 2 for bit in bits)


def test_no_bulk_worker_message_names_the_waiting_members():
	[problem] = s.find_problems(42, 0, 0)
	assert problem.message.template.startswith("{0} members wait") and problem.message.args == (42,)


@pytest.mark.parametrize(
	"workers,live",
	[([], 0), ([{"alive": True}], 1), ([{"alive": False}], 0), ([{"alive": None}, {"alive": False}], 1)],
)
def test_live_workers_count_unknown_as_alive(workers, live):
	assert s.live_workers(workers) == live


def test_run_progress_rate_and_eta():
	run = {"total": 100, "processed": 40, "status": "Processing", "started_at": NOW - timedelta(minutes=4)}
	progress = s.run_progress(run, NOW)
	assert progress == {"percent": 40.0, "rate_per_minute": 10.0, "remaining": 60, "eta": NOW + timedelta(minutes=6)}


def test_run_not_started_has_no_rate_or_eta():
	progress = s.run_progress({"total": 10, "processed": 0, "status": "Queued"}, NOW)
	assert (progress["percent"], progress["rate_per_minute"], progress["eta"]) == (0.0, None, None)


def test_paused_run_has_no_eta_and_its_pause_does_not_lower_the_rate():
	run = {
		"total": 100,
		"processed": 40,
		"status": "Paused",
		"started_at": NOW - timedelta(minutes=60),
		"paused_at": NOW - timedelta(minutes=56),
	}
	progress = s.run_progress(run, NOW)
	assert (progress["rate_per_minute"], progress["eta"]) == (10.0, None)


def test_run_without_total_has_no_percentage():
	assert s.run_progress({"total": 0, "processed": 0, "status": "Queued"}, NOW)["percent"] is None
