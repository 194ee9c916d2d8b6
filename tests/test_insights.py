"""verenigingen.core.insights"""

from verenigingen.core.insights import (
	NOT_ENOUGH_DATA,
	ConfigurationRuns,
	configuration_advice,
	failure_advice,
	success_advice,
)


def test_configuration_needs_two_measured_configurations():
	one = [ConfigurationRuns(50, 2, 5, 5000, 300.0), ConfigurationRuns(100, 2, 2, 900, 500.0)]
	advice = configuration_advice(one)
	assert advice.advice == NOT_ENOUGH_DATA
	assert advice.figures["configurations_with_enough_runs"] == 1


def test_unknown_worker_count_is_not_compared():
	runs = [ConfigurationRuns(50, None, 5, 5000, 300.0), ConfigurationRuns(100, 2, 5, 900, 200.0)]
	assert configuration_advice(runs).advice == NOT_ENOUGH_DATA


def test_fastest_configuration_cites_both_figures():
	runs = [ConfigurationRuns(50, 2, 3, 3000, 200.0), ConfigurationRuns(100, 4, 4, 4000, 450.0)]
	advice = configuration_advice(runs)
	assert advice.advice == "use_fastest_configuration"
	assert (advice.figures["batch_size"], advice.figures["workers"], advice.figures["rate"]) == (
		100,
		4,
		450.0,
	)
	assert (advice.figures["other_rate"], advice.figures["other_runs"]) == (200.0, 3)


def test_failure_advice():
	assert failure_advice([("transient", "timeout", 9)]).advice == NOT_ENOUGH_DATA
	spread = [("transient", "a", 4), ("permanent", "b", 4), ("permanent", "c", 4)]
	assert failure_advice(spread).advice == "no_dominant_reason"
	advice = failure_advice([("permanent", "no email", 8), ("transient", "x", 2)])
	assert advice.advice == "fix_dominant_reason"
	assert (advice.figures["count"], advice.figures["failures"], advice.figures["share_percent"]) == (
		8,
		10,
		80.0,
	)


def test_success_advice():
	assert success_advice(10, 0, 95).advice == NOT_ENOUGH_DATA
	assert success_advice(90, 10, 95).advice == "success_rate_below_threshold"
	assert success_advice(99, 1, 95).figures["success_rate"] == 99.0
