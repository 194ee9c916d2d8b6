"""The plan shown before a bulk account run: the site's and the queue's figures for core.run_plan.

Nothing here writes: a plan reads the members, the `bulk` queue and this site's finished runs.
"""

import html

import frappe
from frappe import _
from frappe.utils import add_days, format_duration, now_datetime
from redis.exceptions import RedisError

from verenigingen.account_creation import BULK_QUEUE
from verenigingen.account_creation.requests import classify_members
from verenigingen.account_creation.tracker import members_waiting
from verenigingen.core import run_plan
from verenigingen.shared.queues import configured_queues, queue_status

# The expected duration comes from this site's last finished account runs of this period.
HISTORY_RUNS = 10
HISTORY_DAYS = 30


def plan_for_members(member_names: list[str], batch_size: int) -> dict:
	"""What queueing accounts for these members would do (the same checks as the real run)."""
	eligible, refused, _members, _open = classify_members(member_names)
	twice = len(member_names) - len(set(member_names))
	codes = [*refused.values(), *[run_plan.LISTED_TWICE] * twice]
	return plan_for_counts(len(eligible), run_plan.count_refusals(codes), batch_size)


def plan_for_counts(requests: int, refusals: dict[str, int], batch_size: int) -> dict:
	"""The plan for ``requests`` new requests, with the workers, history and queue of now."""
	workers, load = bulk_queue_figures()
	plan = run_plan.build_plan(requests, refusals, batch_size, workers, recent_runs(), load)
	plan["summary"] = summary_lines(plan)
	plan["warning_messages"] = [warning_text(code) for code in plan["warnings"]]
	plan["html"] = plan_html(plan)
	return plan


def bulk_queue_figures() -> tuple[int | None, run_plan.BulkQueueLoad]:
	"""Live `bulk` workers (whole bench; None when unknown) and what is queued, this site apart."""
	waiting = sum(int(row.queued or 0) + int(row.processing or 0) for row in members_waiting() if row.tracker)
	if BULK_QUEUE not in configured_queues():
		return None, run_plan.BulkQueueLoad(site_members_waiting=waiting)
	try:
		status = queue_status(BULK_QUEUE)
	except RedisError:
		return None, run_plan.BulkQueueLoad(site_members_waiting=waiting)
	# A worker whose process cannot be checked from here (another host) counts: unknown is not dead.
	workers = len([worker for worker in status["workers"] if worker["alive"] is not False])
	site_jobs = status["site"]["queued"]  # workers serve every site; a job id names its site
	return workers, run_plan.BulkQueueLoad(site_jobs, status["queued"] - site_jobs, status["started"], waiting)


def recent_runs() -> list[run_plan.PastRun]:
	"""This site's last finished account runs: accounts attempted and seconds worked (pauses left out)."""
	rows = frappe.db.sql(
		"""select successful + failed as accounts,
			timestampdiff(second, started_at, finished_at) - coalesce(paused_seconds, 0) as seconds
		from `tabBulk Operation Tracker`
		where operation_type = 'Account Creation' and status in ('Completed', 'Completed with Errors')
			and started_at is not null and finished_at >= %(since)s
		order by finished_at desc limit %(limit)s""",
		{"since": add_days(now_datetime(), -HISTORY_DAYS), "limit": HISTORY_RUNS},
		as_dict=True,
	)
	return [run_plan.PastRun(int(row.accounts or 0), float(row.seconds or 0)) for row in rows]


REFUSAL_LABELS = {
	run_plan.HAS_USER: lambda: _("already have a user"),
	run_plan.OPEN_REQUEST: lambda: _("already have an open request"),
	run_plan.NOT_ACTIVE: lambda: _("are not Active"),
	run_plan.NO_EMAIL: lambda: _("have no email address"),
	run_plan.NOT_FOUND: lambda: _("were not found or are not permitted"),
	run_plan.LISTED_TWICE: lambda: _("were listed twice"),
}


def summary_lines(plan: dict) -> list[str]:
	"""The plan in sentences, for the confirm dialog and the terminal."""
	lines = [
		_("{0} members get an account request, in {1} batches of at most {2}").format(
			plan["requests"], plan["batches"], plan["batch_size"]
		)
	]
	for code, count in plan["excluded_by_reason"].items():
		lines.append(_("{0} members get none: they {1}").format(count, REFUSAL_LABELS[code]()))
	workers = plan["bulk_workers"]
	lines.append(_("Bulk workers running (whole bench): {0}").format(_("unknown") if workers is None else workers))
	lines.append(duration_line(plan))
	queue = plan["queue"]
	lines.append(
		_("Already on the bulk queue: {0} jobs of this site ({1} members waiting), {2} jobs of other sites; {3} jobs running (whole bench)").format(
			queue["site_jobs"], plan["members_waiting_ahead"], queue["other_site_jobs"], queue["running_jobs"]
		)
	)
	if plan["members_waiting_ahead"] and plan["expected_wait_seconds"]:
		lines.append(
			_("The members already waiting on this site take about {0} before this run").format(
				format_duration(plan["expected_wait_seconds"])
			)
		)
	return lines


def duration_line(plan: dict) -> str:
	if plan["expected_seconds"] is None:
		return _("Expected duration: unknown (no finished account run on this site in the last {0} days)").format(
			HISTORY_DAYS
		)
	return _("Expected duration: about {0}, at {1} accounts per minute (this site's last {2} runs)").format(
		format_duration(plan["expected_seconds"]) or "0s", plan["rate_per_minute"], plan["rate_from_runs"]
	)


def warning_text(code: str) -> str:
	if code == run_plan.NO_WORKER:
		return _("No bulk worker is running: nothing will be processed until one is started (bench worker --queue bulk)")
	if code == run_plan.WORKERS_UNKNOWN:
		return _("The bulk workers could not be counted (is the bulk queue configured and Redis reachable?)")
	if code == run_plan.NOTHING_TO_DO:
		return _("Nothing to do: none of these members needs an account request")
	return _("Other work is queued on the bulk queue: this run starts after it")


def plan_html(plan: dict) -> str:
	"""The plan for a confirm dialog (escaped here: the dialog shows it as HTML)."""
	warnings = "".join(
		'<div class="alert alert-{0}" data-plan-warning="{1}">{2}</div>'.format(
			"danger" if code == run_plan.NO_WORKER else "warning", code, html.escape(text)
		)
		for code, text in zip(plan["warnings"], plan["warning_messages"])
	)
	items = "".join(f"<li>{html.escape(line)}</li>" for line in plan["summary"])
	return f'<div class="verenigingen-run-plan">{warnings}<ul>{items}</ul></div>'
