"""verenigingen.core.claims and verenigingen.core.dormancy"""

from datetime import datetime, timedelta

import pytest

from verenigingen.core.claims import (
	ALIVE,
	DEAD,
	UNKNOWN,
	Claim,
	WorkerBeat,
	claim_state,
	heartbeat_grace_seconds,
	parse_claim,
	worker_alive,
)
from verenigingen.core.dormancy import activity_due

NOW = datetime(2026, 12, 3, 8, 0, 0)
GRACE = heartbeat_grace_seconds(30)
HERE = "vm"
JOB = "site::verenigingen-accounts-BOT-1-b2"


def ago(seconds):
	return NOW - timedelta(seconds=seconds)


def remote(worker="w1", job=JOB):
	return Claim("host-b", 7, "n1", worker, job)


def test_grace_follows_rq_interval():
	"""The grace is rq's heartbeat interval plus a margin, never a fixed figure."""
	assert heartbeat_grace_seconds(30) == 40
	assert heartbeat_grace_seconds(5) == 15
	with pytest.raises(ValueError):
		heartbeat_grace_seconds(0)


@pytest.mark.parametrize(
	"claim",
	[Claim("vm", 12, "9f2c", "abc.vm.11.bulk", JOB), Claim("host-b", 1), Claim("h", 3, "n", "w", "a|b")],
)
def test_claim_round_trip(claim):
	"""A stored claim reads back as it was written (a job id may itself hold the separator)."""
	assert parse_claim(claim.encode()) == claim


def test_two_claims_of_one_process_differ():
	"""A fencing token: the same process claiming again holds another claim."""
	assert Claim("vm", 12, "a").encode() != Claim("vm", 12, "b").encode()


@pytest.mark.parametrize("text", [None, "", "vm", "vm|x|n|w|j", "|12|n|w|j", "vm|12|n|w"])
def test_unreadable_claims(text):
	"""Requests claimed before claims were recorded have none."""
	assert parse_claim(text) is None


@pytest.mark.parametrize("alive, state", [(True, ALIVE), (False, DEAD)])
def test_this_host_trusts_the_process_table(alive, state):
	"""Here the process table decides at once, whatever Redis says (flushed or stale)."""
	claim = Claim(HERE, 12, "n", "w", JOB)
	assert claim_state(claim, ago(1), NOW, GRACE, HERE, alive, None) == state
	assert claim_state(claim, ago(1), NOW, GRACE, HERE, alive, WorkerBeat(ago(500), "other")) == state


def test_this_host_without_a_process_answer_uses_the_heartbeat():
	claim = Claim(HERE, 12, "n", "w", JOB)
	assert claim_state(claim, ago(100), NOW, GRACE, HERE, None, WorkerBeat(ago(5), JOB)) == ALIVE
	assert claim_state(claim, ago(100), NOW, GRACE, HERE, None, None) == DEAD


@pytest.mark.parametrize(
	"beat, claimed_ago, state",
	[
		(WorkerBeat(ago(5), JOB), 300, ALIVE),  # beating on this job: alive however long it takes
		(WorkerBeat(ago(GRACE), JOB), 300, ALIVE),  # exactly at the grace: still alive
		(WorkerBeat(ago(5), None), 300, ALIVE),  # after a flush the key holds the heartbeat alone
		(WorkerBeat(ago(5), "site::other-job"), 300, DEAD),  # the worker moved on: the claiming job is over
		(WorkerBeat(ago(GRACE + 1), JOB), 300, DEAD),  # silent past the grace: gone
		(None, 300, DEAD),  # its key expired: gone
		(None, 5, UNKNOWN),  # a fresh claim with no heartbeat yet (Redis just flushed): wait
		(WorkerBeat(ago(GRACE + 1), JOB), 5, UNKNOWN),
	],
)
def test_other_host_is_judged_by_its_heartbeat(beat, claimed_ago, state):
	assert claim_state(remote(), ago(claimed_ago), NOW, GRACE, HERE, None, beat) == state


def test_other_host_outside_rq_cannot_be_judged():
	"""No worker to ask: left to the stuck threshold."""
	assert claim_state(Claim("host-b", 7), ago(3600), NOW, GRACE, HERE, None, None) == UNKNOWN


def test_a_live_claim_is_never_dead_while_its_worker_beats():
	"""Property: for every age of the claim, a worker beating on its job within the grace is alive."""
	for claimed_ago in range(0, 4000, 7):
		for beat_ago in range(0, int(GRACE) + 1):
			state = claim_state(remote(), ago(claimed_ago), NOW, GRACE, HERE, None, WorkerBeat(ago(beat_ago), JOB))
			assert state == ALIVE


@pytest.mark.parametrize(
	"hostname, alive, beat_ago, expected",
	[
		(HERE, True, 900, True),
		(HERE, False, 1, False),
		("host-b", None, 5, True),
		("host-b", None, GRACE + 1, False),
		("host-b", None, None, False),
		(HERE, None, 5, True),
	],
)
def test_worker_alive(hostname, alive, beat_ago, expected):
	beat = None if beat_ago is None else ago(beat_ago)
	assert worker_alive(hostname, HERE, alive, beat, NOW, GRACE) is expected


@pytest.mark.parametrize(
	"last_ago, due", [(None, True), (10, False), (3599, False), (3600, True), (5 * 86400, True)]
)
def test_activity_due(last_ago, due):
	"""A run records activity when the site has none, or none in the last hour."""
	last = None if last_ago is None else ago(last_ago)
	assert activity_due(last, NOW) is due


def test_activity_refresh_must_be_positive():
	with pytest.raises(ValueError):
		activity_due(None, NOW, 0)
