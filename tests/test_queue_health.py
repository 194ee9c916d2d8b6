"""verenigingen.core.queue_health"""

from datetime import datetime, timedelta

import pytest

from verenigingen.core.queue_health import (
	BACKLOG_WITHOUT_WORKERS,
	FAILED_JOBS,
	HEARTBEAT_LOST,
	MEMBERS_WAITING,
	QUEUE_LENGTH,
	STUCK_JOBS,
	WORKER_GONE,
	WORKERS_BELOW_CONFIGURED,
	QueueSnapshot,
	StartedJob,
	backlog_findings,
	failed_since,
	job_site,
	oldest_age_seconds,
	queue_findings,
	site_figures,
	stuck_reason,
)

NOW = datetime(2026, 12, 2, 4, 0)


def job(alive, beat_minutes_ago):
	beat = None if beat_minutes_ago is None else NOW - timedelta(minutes=beat_minutes_ago)
	return StartedJob("j", "bulk", "w", beat, alive)


@pytest.mark.parametrize(
	"alive, beat_ago, reason",
	[
		(True, 1, None),
		(None, 1, None),  # another host: judged on its heartbeat only
		(False, 0, WORKER_GONE),  # a dead worker is stuck at once, whatever its last beat
		(True, 31, HEARTBEAT_LOST),
		(None, 31, HEARTBEAT_LOST),
		(True, 30, None),
		(True, None, HEARTBEAT_LOST),
	],
)
def test_stuck_reason(alive, beat_ago, reason):
	assert stuck_reason(job(alive, beat_ago), NOW, 30) == reason


def test_zero_threshold_is_refused():
	with pytest.raises(ValueError):
		stuck_reason(job(True, 1), NOW, 0)


def test_oldest_age_ignores_undated_jobs():
	assert oldest_age_seconds([None, NOW - timedelta(seconds=90), NOW - timedelta(seconds=5)], NOW) == 90
	assert oldest_age_seconds([None], NOW) is None
	assert oldest_age_seconds([], NOW) is None


def types(findings):
	return sorted(f.alert_type for f in findings)


def test_healthy_bulk_queue_has_no_findings():
	assert queue_findings(QueueSnapshot("bulk", 3, 2, 0, 2), 0, 0, 2) == []


def test_backlog_without_workers_is_critical():
	(finding,) = queue_findings(QueueSnapshot("bulk", 5, 0, 0, 0), 0, 0, None)
	assert (finding.alert_type, finding.severity, finding.figures) == (
		BACKLOG_WITHOUT_WORKERS,
		"Critical",
		{"queued": 5},
	)


def test_every_bulk_condition_at_once():
	findings = queue_findings(QueueSnapshot("bulk", 5, 1, 2, 0), 1, 0, 2)
	assert types(findings) == sorted(
		[BACKLOG_WITHOUT_WORKERS, STUCK_JOBS, FAILED_JOBS, WORKERS_BELOW_CONFIGURED]
	)


def test_no_configured_count_means_no_worker_alert():
	assert queue_findings(QueueSnapshot("bulk", 0, 0, 0, 0), 0, 0, 0) == []


def test_stuck_requests_alone_are_stuck():
	(finding,) = queue_findings(QueueSnapshot("bulk", 0, 0, 0, 2), 0, 3, 2)
	assert (finding.alert_type, finding.figures) == (STUCK_JOBS, {"jobs": 0, "requests": 3})


def test_failed_since_uses_failure_time_not_expiry():
	week = 7 * 24 * 3600
	now = 1_000_000_000.0
	jobs = [(now - 60 + week, week), (now - 2 * 86400 + week, week), (now - 10 + 3600, 3600)]
	assert failed_since(jobs, now - 86400) == 2


def test_backlog_limits_are_strict_and_optional():
	queues = [QueueSnapshot("bulk", 1000, 0, 0, 2), QueueSnapshot("long", 1001, 0, 0, 1)]
	findings = backlog_findings(queues, 1001, 1000, 1000)
	assert [(f.alert_type, f.key) for f in findings] == [(QUEUE_LENGTH, "long"), (MEMBERS_WAITING, "bulk")]
	assert backlog_findings(queues, 5000, None, 0) == []


@pytest.mark.parametrize(
	("job_id", "site"),
	[
		("site1.localhost::verenigingen-accounts-BULK-1-b1", "site1.localhost"),
		("a::b::c", "a"),
		("e5f1c0de-uuid-without-site", None),
		("::no-site", None),
		("", None),
		(None, None),
	],
)
def test_job_site_reads_the_site_prefix(job_id, site):
	"""Frappe's job ids carry the site before '::'; anything else has no site."""
	assert job_site(job_id) == site


def test_site_figures_count_only_this_sites_jobs_and_busy_workers():
	"""Bench-wide registries hold every site's jobs: only ours are counted, per state."""
	ids = {
		"queued": ["here::1", "there::2", "here::3", "no-site"],
		"failed": ["there::4", "here.other::5"],
		"started": ["here::6"],
	}
	figures = site_figures(ids, ["here::6", "there::7", None], "here")
	assert figures == {"queued": 2, "started": 1, "failed": 0, "scheduled": 0, "deferred": 0, "busy_workers": 1}
