"""What a run counted from its items stores: status, rate, and a finish time or an ETA."""

from datetime import datetime, timedelta

from verenigingen.core.bulk_progress import RequestCounts, run_values

NOW = datetime(2026, 12, 3, 10, 0)


def test_an_open_run_has_a_rate_and_an_eta():
	values = run_values(RequestCounts(total=100, successful=40, failed=10), NOW - timedelta(minutes=5), None, NOW)
	assert (values["processed"], values["status"], values["rate_per_minute"]) == (50, "Processing", 10)
	assert values["eta"] == NOW + timedelta(minutes=5) and "finished_at" not in values


def test_a_finished_run_keeps_its_first_finish_time():
	first = NOW - timedelta(minutes=1)
	values = run_values(RequestCounts(total=2, successful=1, failed=1), NOW - timedelta(minutes=2), first, NOW)
	assert (values["status"], values["finished_at"], values["eta"]) == ("Completed with Errors", first, None)
	assert run_values(RequestCounts(total=2, successful=2), NOW, None, NOW)["finished_at"] == NOW


def test_a_run_not_started_is_queued_without_a_rate():
	values = run_values(RequestCounts(total=3), None, None, NOW)
	assert (values["status"], values["rate_per_minute"], values["eta"]) == ("Queued", 0, None)
