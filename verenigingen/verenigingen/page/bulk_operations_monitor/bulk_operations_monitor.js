// Bulk Operations Monitor: renders what get_monitor_data returns and keeps it fresh.
// Runs move live through the tracker's realtime event (one doc room per visible run);
// the page polls only while the realtime connection is down and a run is still open.

const MONITOR_API = "verenigingen.utils.bulk_operations_monitor";
const TRACKER = "Bulk Operation Tracker";
const OPEN_STATUSES = ["Queued", "Processing", "Paused"];
const PAUSABLE = ["Account Creation"];
const ACCOUNT_API = "verenigingen.utils.account_creation_manager";
const POLL_MS = 3000;
const REFRESH_MS = 30000;
const SUBSCRIBE_MS = 1100;

frappe.pages["bulk-operations-monitor"].on_page_load = (wrapper) => {
	frappe.bulk_operations_monitor = new BulkOperationsMonitor(wrapper);
	$(wrapper).on("show", () => frappe.bulk_operations_monitor.refresh());
};

class BulkOperationsMonitor {
	constructor(wrapper) {
		this.page = frappe.ui.make_app_page({
			parent: wrapper,
			title: __("Bulk Operations Monitor"),
			single_column: true,
		});
		this.$body = $(`<div class="bulk-operations-monitor"></div>`).appendTo(this.page.main);
		this.to_subscribe = [];
		this.data = null;
		this.page.set_secondary_action(__("Refresh"), () => this.refresh(), "refresh");
		this.page.add_inner_button(__("Open Report"), () =>
			frappe.set_route("query-report", "Bulk Operations Performance Report")
		);
		this.bind_actions();
		this.listen();
		this.refresh();
	}

	listen() {
		// A new run shows up through the DocType's list_update; its progress through its doc room.
		frappe.realtime.doctype_subscribe(TRACKER);
		frappe.realtime.on(
			"list_update",
			(data) => data && data.doctype === TRACKER && this.refresh_soon()
		);
		frappe.realtime.on("verenigingen_bulk_progress", () => this.refresh_soon());
		setInterval(() => this.subscribe_next(), SUBSCRIBE_MS);
		setInterval(() => this.visible() && this.needs_polling() && this.refresh(), POLL_MS);
		setInterval(() => this.visible() && this.refresh(), REFRESH_MS);
	}

	visible() {
		return frappe.get_route_str() === "bulk-operations-monitor";
	}

	realtime_connected() {
		return Boolean(frappe.realtime.socket && frappe.realtime.socket.connected);
	}

	needs_polling() {
		const runs = (this.data && this.data.last_operations) || [];
		return (
			!this.realtime_connected() && runs.some((run) => OPEN_STATUSES.includes(run.status))
		);
	}

	refresh_soon() {
		// Several workers publish at once: one reload per half second is enough.
		if (this.refresh_timer) return;
		this.refresh_timer = setTimeout(() => {
			this.refresh_timer = null;
			this.refresh();
		}, 500);
	}

	refresh() {
		if (this.loading) return this.loading;
		this.loading = frappe
			.xcall(`${MONITOR_API}.get_monitor_data`, { days: 7 })
			.then((data) => this.render(data))
			// Frappe has shown the server's message; the page keeps its last figures.
			.catch(() => null)
			.finally(() => (this.loading = null));
		return this.loading;
	}

	render(data) {
		this.data = data;
		this.setup_operator_buttons(data.can_operate);
		this.$body.html(
			[
				this.metrics_html(data),
				this.queue_html(data),
				this.alerts_html(data),
				this.runs_html(data),
				this.retry_html(data),
			].join("")
		);
		this.$body.attr("data-loaded-at", data.generated_at);
		this.subscribe(data.last_operations);
	}

	subscribe(runs) {
		// Open runs first: they are the ones that move.
		const open = runs.filter((run) => OPEN_STATUSES.includes(run.status));
		this.to_subscribe = [...open, ...runs.filter((run) => !open.includes(run))].map(
			(run) => run.name
		);
		this.subscribe_next();
	}

	subscribe_next() {
		// Frappe's client takes one doc_subscribe per second and drops the others: one at a time.
		if (!this.realtime_connected() || frappe.flags.doc_subscribe) return;
		const name = (this.to_subscribe || []).find(
			(run) => !frappe.realtime.open_docs.has(`${TRACKER}:${run}`)
		);
		if (!name) return;
		frappe.realtime.doc_subscribe(TRACKER, name);
		// A short run may have moved before its room was joined: read the stored state once more.
		setTimeout(() => this.refresh_soon(), SUBSCRIBE_MS);
	}

	setup_operator_buttons(can_operate) {
		if (!can_operate || this.operator_buttons) return;
		this.operator_buttons = true;
		this.page.set_primary_action(__("Clear Stuck Jobs"), () => this.clear_stuck_jobs());
	}

	// --- sections -----------------------------------------------------------------

	metrics_html(data) {
		const card = (key, label, value) => `
			<div class="col-sm-3"><div class="monitor-card border rounded p-3 mb-3" data-metric="${key}">
				<div class="text-muted small">${label}</div>
				<div class="h4 mb-0 monitor-value">${value}</div>
			</div></div>`;
		return `<h5 class="mt-2">${__("Last {0} days", [data.days])}</h5><div class="row">
			${card("operations", __("Operations"), known(data.total_operations))}
			${card(
				"success_rate",
				__("Success Rate"),
				known(data.success_rate, (v) => `${v} %`)
			)}
			${card(
				"rate",
				__("Average Rate (accounts/min)"),
				known((data.by_operation_type["Account Creation"] || {}).average_rate_per_minute)
			)}
			${card(
				"completion",
				__("Average Completion Time"),
				known(data.average_completion_minutes, (v) => __("{0} min", [v]))
			)}
		</div>`;
	}

	queue_html(data) {
		const health = data.queue_health;
		const bulk = health.queues.bulk;
		const backlog = data.backlog.without_workers
			? `<div class="alert alert-danger" data-section="backlog-alert">${__(
					"{0} members are waiting and no bulk worker is running",
					[data.backlog.members_waiting]
			  )}</div>`
			: "";
		if (!bulk) {
			return section(
				"queue",
				__("Queue Health"),
				`${backlog}<p>${__("The bulk queue is not configured")}</p>`
			);
		}
		const site = bulk.site;
		const workers = bulk.workers.length
			? bulk.workers
					.map(
						(w) => `<tr><td>${esc(w.name)}</td><td>${esc(worker_state(w.state))}</td>
						<td>${w.alive === false ? __("gone") : w.alive ? __("alive") : __("unknown")}</td>
						<td>${esc(w.current_job || "")}</td>
						<td>${w.current_job_site === site.name ? __("this site") : esc(w.current_job_site || "")}</td></tr>`
					)
					.join("")
			: `<tr><td colspan="5">${__("No bulk worker is running")}</td></tr>`;
		// Queues and workers serve every site of the bench: the bench's figure, and this site's beside it.
		const shared = (bench, own) =>
			`<span data-scope="bench">${esc(bench)}</span> <small class="text-muted">${__(
				"whole bench"
			)}</small> · <span data-scope="site">${esc(own)}</span> <small class="text-muted">${__(
				"this site"
			)}</small>`;
		return section(
			"queue",
			__("Queue Health"),
			`${backlog}
			<p class="text-muted small" data-section="bench-note">${__(
				"The bulk queue and its workers serve every site of this bench: each count is the whole bench's, with this site's ({0}) beside it.",
				[esc(site.name)]
			)}</p>
			<div class="row mb-2">
				${figure("bulk-jobs", __("Jobs in the bulk queue"), shared(bulk.queued, site.queued))}
				${figure("members-waiting", __("Members waiting (this site)"), known(health.members_waiting))}
				${figure("started-jobs", __("Jobs running"), shared(bulk.started, site.started))}
				${figure("failed-jobs", __("Failed jobs"), shared(bulk.failed, site.failed))}
			</div>
			<table class="table table-sm"><thead><tr><th>${__("Worker (whole bench)")}</th><th>${__(
				"State"
			)}</th>
				<th>${__("Process")}</th><th>${__("Current Job")}</th><th>${__(
				"Site of the Job"
			)}</th></tr></thead><tbody>${workers}</tbody></table>
			<p class="small" data-figure="busy-for-site">${__(
				"Workers busy with this site's jobs: {0} of {1}",
				[site.busy_workers, bulk.workers.length]
			)}</p>`
		);
	}

	alerts_html(data) {
		// Open alerts need someone; acknowledged ones are being handled and wait to be resolved.
		const open = data.active_alerts.filter((alert) => alert.status === "Open");
		const handled = data.active_alerts.filter((alert) => alert.status !== "Open");
		return (
			section(
				"alerts",
				__("Active Alerts"),
				this.alert_table(open, data.can_operate, __("No active alerts"))
			) +
			(handled.length
				? section(
						"acknowledged",
						__("Acknowledged Alerts"),
						this.alert_table(handled, data.can_operate)
				  )
				: "")
		);
	}

	alert_table(alerts, can_operate, empty_text) {
		if (!alerts.length) return `<p class="text-muted">${empty_text}</p>`;
		const button = (action, label, alert) =>
			`<button class="btn btn-xs btn-default" data-action="${action}" data-name="${esc(
				alert.name
			)}">
				${label}</button>`;
		const rows = alerts
			.map(
				(alert) => `<tr data-alert="${esc(alert.name)}">
					<td><span class="indicator-pill ${SEVERITY_COLOURS[alert.severity] || "gray"}">
						${__(alert.severity)}</span></td>
					<td>${esc(alert.message)}</td><td>${__(alert.status)}</td>
					<td>${esc(alert.occurrences)}</td><td>${frappe.datetime.comment_when(alert.last_seen)}</td>
					<td class="text-right">${
						can_operate
							? (alert.status === "Open"
									? button("acknowledge", __("Acknowledge"), alert)
									: "") + button("resolve", __("Resolve"), alert)
							: ""
					}</td></tr>`
			)
			.join("");
		return `<table class="table table-sm"><thead><tr><th>${__("Severity")}</th><th>${__(
			"Message"
		)}</th>
			<th>${__("Status")}</th><th>${__("Occurrences")}</th><th>${__("Last Seen")}</th><th></th></tr>
			</thead><tbody>${rows}</tbody></table>`;
	}

	runs_html(data) {
		const rows = data.last_operations
			.map((run) => this.run_html(run, data.can_control_runs))
			.join("");
		return section(
			"runs",
			__("Recent Operations"),
			rows || `<p class="text-muted">${__("No bulk runs yet")}</p>`
		);
	}

	run_html(run, can_control_runs) {
		const percent = run.progress_percent;
		const open = OPEN_STATUSES.includes(run.status);
		const pause_action = run.paused ? "resume" : "pause";
		const actions = can_control_runs
			? `${
					open
						? `<button class="btn btn-xs btn-default" data-action="cancel" data-name="${esc(
								run.name
						  )}">${__("Cancel Run")}</button>`
						: ""
			  }
			${
				open && PAUSABLE.includes(run.operation_type)
					? `<button class="btn btn-xs btn-default" data-action="${pause_action}" data-name="${esc(
							run.name
					  )}">${run.paused ? __("Resume Run") : __("Pause Run")}</button>`
					: ""
			}
			${
				run.failed || run.waiting_for_retry // both are Failed requests a human may retry now
					? `<button class="btn btn-xs btn-default" data-action="retry" data-name="${esc(
							run.name
					  )}">${__("Retry Failed")}</button>`
					: ""
			}`
			: "";
		return `<div class="monitor-run border rounded p-3 mb-2" data-run="${esc(run.name)}">
			<div class="d-flex justify-content-between">
				<a href="/app/bulk-operation-tracker/${encodeURIComponent(run.name)}">${esc(run.name)}</a>
				<span class="indicator-pill ${STATUS_COLOURS[run.status] || "gray"}" data-field="status">
					${__(run.status)}</span>
			</div>
			<div class="progress my-2" style="height: 8px">
				<div class="progress-bar" role="progressbar" style="width: ${percent || 0}%"
					aria-valuenow="${percent === null ? "" : percent}" aria-valuemin="0" aria-valuemax="100"></div>
			</div>
			<div class="small" data-field="counts">${__("{0} of {1} processed", [
				run.processed,
				run.total,
			])} · ${__("{0} successful", [run.successful])} · ${__("{0} failed", [run.failed])}
			· ${__("{0} waiting for retry", [run.waiting_for_retry])}</div>
			<div class="small text-muted">${__("Rate")}: ${known(run.rate_per_minute || null, (v) =>
			// each operation type in its own unit: a mandate run makes mandates, not accounts
			({
				"Mandate Creation": () => __("{0} mandates/min", [v]),
				"Customer Creation": () => __("{0} customers/min", [v]),
				"Contribution Invoicing": () => __("{0} invoices/min", [v]),
				"Contribution Payments": () => __("{0} payments/min", [v]),
			}[run.operation_type] || (() => __("{0} accounts/min", [v])))()
		)} · ${__("Expected Finish")}: ${
			run.paused ? __("paused") : open ? known(run.eta, (v) => frappe.datetime.str_to_user(v)) : "–"
		}</div>
			<div class="mt-2">${actions}</div>
		</div>`;
	}

	retry_html(data) {
		const queue = data.retry_queue;
		const can_control_runs = data.can_control_runs;
		const reasons = (tracker) =>
			queue.reasons
				.filter((row) => row.tracker === tracker)
				.map(
					(row) =>
						`<li>${esc(row.failure_reason || __("unknown"))} (${esc(
							row.failure_class || __("unknown")
						)}): ${row.failures}</li>`
				)
				.join("");
		const rows = queue.trackers
			.map(
				(row) => `<tr data-retry="${esc(row.tracker || "")}">
				<td>${row.tracker ? esc(row.tracker) : __("Single requests")}</td>
				<td>${row.waiting}</td>
				<td>${known(row.next_retry_at, (v) => frappe.datetime.str_to_user(v))}</td>
				<td><ul class="mb-0 pl-3">${reasons(row.tracker)}</ul></td>
				<td class="text-right">${
					can_control_runs && row.tracker
						? `<button class="btn btn-xs btn-default" data-action="retry" data-name="${esc(
								row.tracker
						  )}">${__("Retry Now")}</button>
						<button class="btn btn-xs btn-default" data-action="clear-retries" data-name="${esc(
							row.tracker
						)}">${__("Clear")}</button>`
						: ""
				}</td></tr>`
			)
			.join("");
		return section(
			"retry",
			__("Retry Queue"),
			rows
				? `<table class="table table-sm"><thead><tr><th>${__("Run")}</th><th>${__(
						"Waiting"
				  )}</th>
					<th>${__("Next Retry")}</th><th>${__("Failed requests by reason")}</th><th></th></tr></thead>
					<tbody>${rows}</tbody></table>`
				: `<p class="text-muted">${__("No requests are waiting for a retry")}</p>`
		);
	}

	// --- actions ------------------------------------------------------------------

	bind_actions() {
		const handlers = {
			acknowledge: (name) =>
				this.act(
					__("Acknowledge alert {0}?", [name]),
					"verenigingen.utils.alert_manager.acknowledge_alert",
					{ name },
					() => __("Alert {0} acknowledged", [name])
				),
			resolve: (name) =>
				this.act(
					__("Resolve alert {0}?", [name]),
					"verenigingen.utils.alert_manager.resolve_alert",
					{ name },
					() => __("Alert {0} resolved", [name])
				),
			cancel: (name) =>
				this.act(
					__("Cancel run {0}? Requests not yet started are cancelled.", [name]),
					`${MONITOR_API}.cancel_run`,
					{ tracker_name: name },
					(r) =>
						__("Run {0}: {1} requests cancelled, status {2}", [
							name,
							r.cancelled,
							__(r.status),
						])
				),
			pause: (name) =>
				this.act(
					__("Pause run {0}? The member in hand finishes; no other starts until it is resumed.", [name]),
					`${ACCOUNT_API}.pause_bulk_operation`,
					{ tracker_name: name },
					(r) => r.message
				),
			resume: (name) =>
				this.act(
					__("Resume run {0} where it stopped?", [name]),
					`${ACCOUNT_API}.resume_bulk_operation`,
					{ tracker_name: name },
					(r) => r.message
				),
			retry: (name) =>
				this.act(
					__("Retry the failed requests of run {0} now?", [name]),
					`${MONITOR_API}.retry_run`,
					{ tracker_name: name },
					(r) => __("{0} requests of run {1} queued again", [r.retried, name])
				),
			"clear-retries": (name) =>
				this.act(
					__("Stop the automatic retries of run {0}? The requests stay Failed.", [name]),
					`${MONITOR_API}.clear_run_retries`,
					{ tracker_name: name },
					(r) => __("{0} retries of run {1} cleared", [r.cleared, name])
				),
		};
		this.$body.on("click", "button[data-action]", (event) => {
			const $button = $(event.currentTarget);
			handlers[$button.attr("data-action")]($button.attr("data-name"));
		});
	}

	act(question, method, args, describe) {
		frappe.confirm(
			question,
			() =>
				frappe
					.xcall(method, args)
					.then((result) => {
						frappe.show_alert({ message: describe(result), indicator: "green" }, 10);
						this.refresh();
					})
					.catch(() => this.refresh()) // Frappe has shown why it was refused
		);
	}

	clear_stuck_jobs() {
		frappe.confirm(
			__("Move stuck jobs to the failed registry and queue their requests again?"),
			() =>
				frappe
					.xcall("verenigingen.utils.bulk_queue_config.clear_stuck_jobs")
					.then((result) => {
						frappe.msgprint({
							title: __("Clear Stuck Jobs"),
							message: __(
								"{0} stuck jobs moved to the failed jobs, {1} requests queued again, {2} recovered after the threshold (recorded as {3})",
								[
									result.jobs_moved_to_failed.length,
									result.requests_requeued.length,
									result.requests_recovered_after_threshold,
									result.action,
								]
							),
							indicator: "green",
						});
						this.refresh();
					})
					.catch(() => null) // Frappe has shown why it was refused
		);
	}
}

const STATUS_COLOURS = {
	Queued: "gray",
	Processing: "blue",
	Paused: "yellow",
	Completed: "green",
	"Completed with Errors": "orange",
	Failed: "red",
	Cancelled: "gray",
};
const SEVERITY_COLOURS = { Info: "blue", Warning: "yellow", High: "orange", Critical: "red" };

// rq's worker states, as Redis holds them
function worker_state(state) {
	const names = { idle: __("idle"), busy: __("busy"), suspended: __("suspended"), started: __("started") };
	return names[state] || state;
}

function known(value, format = (v) => v) {
	return value === null || value === undefined ? __("unknown") : esc(format(value));
}

function esc(value) {
	return frappe.utils.escape_html(value === null || value === undefined ? "" : String(value));
}

function section(key, title, body) {
	return `<div class="monitor-section mb-4" data-section="${key}"><h5>${title}</h5>${body}</div>`;
}

function figure(key, label, value) {
	return `<div class="col-sm-3" data-figure="${key}"><div class="text-muted small">${label}</div>
		<div class="h5 monitor-value">${value}</div></div>`;
}
