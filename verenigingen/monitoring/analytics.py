"""Insights from the database only: throughput, failures, run configurations, member growth, imports.

Every recommendation cites the figures it rests on; with too few data it says so.
"""

from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import now_datetime

from verenigingen.core.insights import (
	NOT_ENOUGH_DATA,
	ConfigurationRuns,
	Recommendation,
	configuration_advice,
	failure_advice,
	success_advice,
)
from verenigingen.monitoring.findings import setting

HISTORY_DAYS = 90
TOP_REASONS = 10
THROUGHPUT_QUERIES = {
	"day": """select date(processed_at) as period, sum(status = 'Completed') as created,
		sum(status = 'Failed') as failed from `tabAccount Creation Request`
		where processed_at >= %(since)s group by period order by period""",
	"week": """select yearweek(processed_at, 3) as period, sum(status = 'Completed') as created,
		sum(status = 'Failed') as failed from `tabAccount Creation Request`
		where processed_at >= %(since)s group by period order by period""",
}


class AnalyticsEngine:
	"""Aggregate queries over requests, runs, members and imports (no per-row loops)."""

	def __init__(self, days: int = HISTORY_DAYS):
		self.days = days
		self.since = now_datetime() - timedelta(days=days)

	def generate_insights_report(self) -> dict:
		reasons = self.top_failure_reasons()
		configurations = self.runs_by_configuration()
		totals = self.attempt_totals()
		limit = float(setting("success_rate_alert_percent", 95) or 95)
		advice = [
			configuration_advice([ConfigurationRuns(**row) for row in configurations]),
			failure_advice([(row.failure_class, row.failure_reason, row.failures) for row in reasons]),
			success_advice(totals["successful"], totals["failed"], limit),
		]
		return {
			"days": self.days,
			"throughput_per_day": self.throughput("day"),
			"throughput_per_week": self.throughput("week"),
			"top_failure_reasons": reasons,
			"runs_by_configuration": configurations,
			"member_growth": self.member_growth(),
			"import_history": self.import_history(),
			"recommendations": [recommendation_row(item) for item in advice],
			"generated_at": now_datetime(),
		}

	def throughput(self, period: str) -> list[dict]:
		"""Accounts created and failed per day or ISO week, from the requests' processed time."""
		return frappe.db.sql(THROUGHPUT_QUERIES[period], {"since": self.since}, as_dict=True)

	def top_failure_reasons(self) -> list[dict]:
		return frappe.db.sql(
			"""select failure_class, failure_reason, count(*) as failures from `tabAccount Creation Request`
			where status = 'Failed' and processed_at >= %(since)s
			group by failure_class, failure_reason order by failures desc limit %(limit)s""",
			{"since": self.since, "limit": TOP_REASONS},
			as_dict=True,
		)

	def runs_by_configuration(self) -> list[dict]:
		"""Runs that ran to the end, per batch size and worker count (None: not recorded), with their rate."""
		rows = frappe.db.sql(
			# A worker count of 0 was never recorded (runs from before the field): unknown, not zero.
			"""select batch_size, nullif(bulk_workers, 0) as workers, count(*) as runs, sum(processed) as accounts,
				avg(processed / greatest(timestampdiff(second, started_at, finished_at), 1) * 60) as average_rate
			from `tabBulk Operation Tracker`
			where finished_at >= %(since)s and started_at is not null and processed > 0
				and status in ('Completed', 'Completed with Errors')
			group by batch_size, workers order by batch_size, workers""",
			{"since": self.since},
			as_dict=True,
		)
		return [
			{
				**row,
				"accounts": int(row.accounts or 0),
				"average_rate": round(float(row.average_rate), 1) if row.average_rate is not None else None,
			}
			for row in rows
		]

	def attempt_totals(self) -> dict:
		row = frappe.db.sql(
			"""select coalesce(sum(status = 'Completed'), 0) as successful,
				coalesce(sum(status = 'Failed' and next_retry_at is null), 0) as failed
			from `tabAccount Creation Request` where processed_at >= %(since)s""",
			{"since": self.since},
			as_dict=True,
		)[0]
		return {"successful": int(row.successful), "failed": int(row.failed)}

	def member_growth(self) -> list[dict]:
		"""Members per month they joined (member_since), with the running total."""
		rows = frappe.db.sql(
			"""select substr(member_since, 1, 7) as month, count(*) as joined from `tabMember`
			where member_since is not null group by month order by month""",
			as_dict=True,
		)
		total = 0
		for row in rows:
			total += row.joined
			row["members"] = total
		return rows

	def import_history(self) -> list[dict]:
		return frappe.get_all(
			"Mijnrood CSV Import",
			fields=[
				"name",
				"status",
				"creation",
				"finished_at",
				"total_rows",
				"created_count",
				"updated_count",
				"unchanged_count",
				"skipped_count",
				"error_count",
			],
			order_by="creation desc",
			limit_page_length=20,
		)


def recommendation_row(item: Recommendation) -> dict:
	"""The recommendation as a sentence with the figures it cites."""
	return {"topic": item.topic, "advice": item.advice, "figures": item.figures, "text": advice_text(item)}


def advice_text(item: Recommendation) -> str:
	f = item.figures
	if item.advice == NOT_ENOUGH_DATA:
		return _("Not enough data: {0}").format(", ".join(f"{key} = {value}" for key, value in f.items()))
	texts = {
		"use_fastest_configuration": lambda: _(
			"Batch size {0} with {1} workers ran {2} accounts/min over {3} runs, against {4}/min for batch size {5} with {6} workers over {7} runs: prefer the first"
		).format(
			f["batch_size"],
			f["workers"],
			f["rate"],
			f["runs"],
			f["other_rate"],
			f["other_batch_size"],
			f["other_workers"],
			f["other_runs"],
		),
		"fix_dominant_reason": lambda: _("{0} of {1} failures ({2}%) have one reason ({3}): {4}").format(
			f["count"], f["failures"], f["share_percent"], f["failure_class"], f["reason"]
		),
		"no_dominant_reason": lambda: _(
			"{0} failures with no reason behind half of them (largest: {1})"
		).format(f["failures"], f["largest"]),
		"success_rate_below_threshold": lambda: _(
			"{0}% of finished attempts succeeded ({1} of {2}), below the {3}% threshold"
		).format(f["success_rate"], f["successful"], f["successful"] + f["failed"], f["limit"]),
		"success_rate_fine": lambda: _(
			"{0}% of finished attempts succeeded ({1} of {2}), at or above {3}%"
		).format(f["success_rate"], f["successful"], f["successful"] + f["failed"], f["limit"]),
	}
	return texts[item.advice]()
