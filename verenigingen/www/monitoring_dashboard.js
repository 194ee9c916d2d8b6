// /monitoring_dashboard: fills the sections from get_system_metrics and refreshes them on a timer.
(() => {
	const METHOD = "verenigingen.www.monitoring_dashboard.get_system_metrics";
	const root = document.querySelector(".monitoring-dashboard");
	const labels = JSON.parse(root.dataset.labels);
	const escape = (value) => frappe.utils.escape_html(String(value));
	const known = (value, format = (v) => v) =>
		value === null || value === undefined ? labels.unknown : format(value);
	const bytes = (value) => known(value, (v) => `${(v / 1024 ** 2).toFixed(1)} MB`);
	const percent = (value) => known(value, (v) => `${v} %`);
	const moment = (value) => known(value, (v) => String(v).split(".")[0]); // no microseconds

	function set(name, text) {
		root.querySelector(`[data-figure="${name}"]`).textContent = text;
	}

	function fill_rows(section, rows) {
		root.querySelector(`#${section} tbody`).innerHTML = rows
			.map((cells) => `<tr>${cells.map((cell) => `<td>${escape(cell)}</td>`).join("")}</tr>`)
			.join("");
	}

	function render_system(system) {
		set("cpu", percent(system.cpu_percent));
		set(
			"load",
			known(system.load_average, (v) => v.join(" / "))
		);
		set(
			"memory",
			known(system.memory, (v) => `${v.used_percent} %`)
		);
		set(
			"disk",
			known(system.disk, (v) => `${v.used_percent} %`)
		);
		set("redis", bytes(system.redis_queue_memory_bytes));
		set("database", bytes(system.database_size_bytes));
		set(
			"workers",
			known(system.workers, (v) => v.length)
		);
	}

	function render_queues(queues) {
		fill_rows(
			"queue-status",
			// Whole bench / this site: the queues and workers serve every site of the bench.
			queues.queues.map((q) => [
				q.queue,
				`${q.queued} / ${q.site.queued}`,
				`${q.started} / ${q.site.started}`,
				`${q.failed} / ${q.site.failed}`,
				`${q.live_workers} / ${q.workers}`,
				q.site.busy_workers,
				q.queued === 0 ? "–" : known(q.oldest_queued_seconds), // no job waiting: nothing to age
			])
		);
		set("members-waiting", known(queues.backlog.members_waiting));
		const backlog = root.querySelector('[data-figure="backlog"]');
		backlog.hidden = !queues.backlog.without_workers;
		backlog.textContent = labels.backlog;
	}

	function render(data) {
		render_system(data.system);
		fill_rows(
			"error-rates",
			data.error_rates.map((row) => [labels[row.window] || row.window, row.count])
		);
		render_queues(data.queues);
		const sepa = data.sepa.counts.map((row) => [row.status || labels.none, row.count]);
		fill_rows("sepa-compliance", sepa.length ? sepa : [[labels.no_sepa, ""]]);
		const alerts = data.alerts.map((a) => [
			labels.severities[a.severity] || a.severity,
			a.message,
			labels.statuses[a.status] || a.status,
			moment(a.last_seen),
		]);
		fill_rows("active-alerts", alerts.length ? alerts : [[labels.no_alerts, "", "", ""]]);
		root.querySelector("#monitoring-updated").textContent = labels.updated.replace(
			"{0}",
			moment(data.generated_at)
		);
		root.querySelector("#monitoring-error").hidden = true;
	}

	function show_error(text) {
		const box = root.querySelector("#monitoring-error");
		box.textContent = labels.failed.replace("{0}", text || "");
		box.hidden = false;
	}

	function refresh() {
		frappe
			.call({ method: METHOD, url: `/api/method/${METHOD}`, callback: (r) => render(r.message) })
			.fail((xhr) => show_error(xhr && xhr.statusText));
	}

	refresh();
	setInterval(refresh, Number(root.dataset.refreshSeconds) * 1000);
})();
