// Copyright (c) 2026, Verenigingen developers and contributors
// For license information, please see license.txt

const IMPORT_API = "verenigingen.utils.mijnrood_import";
const IMPORT_EVENT = "verenigingen_import_progress";
const IMPORT_RUNNING = ["Validating", "Importing"];
const IMPORT_COLORS = {
	Draft: "gray", Validating: "orange", Validated: "blue", Importing: "orange",
	Completed: "green", "Completed with Errors": "orange", Failed: "red",
};
const TRACKER_FINISHED = ["Completed", "Completed with Errors", "Failed", "Cancelled"];
const POLL_MS = 2000;
const ACTION_LABELS = {
	create: __("Create"), update: __("Update"), unchanged: __("Unchanged"),
	skip: __("Skip (duplicate)"), error: __("Error"),
};

frappe.ui.form.on("Mijnrood CSV Import", {
	onload(frm) {
		if (frm.is_new()) {
			frappe.call({ method: `${IMPORT_API}.get_import_defaults` }).then((r) => {
				if (r.message && frm.is_new()) frm.set_value(r.message);
			});
		}
		if (!frm.__import_listener) {
			// one listener per form object, whichever import it shows later
			frm.__import_listener = (data) => {
				if (data.import === frm.doc.name) mijnrood_import.on_progress(frm, data);
			};
			frappe.realtime.on(IMPORT_EVENT, frm.__import_listener);
		}
	},
	refresh(frm) {
		frm.page.set_indicator(__(frm.doc.status), IMPORT_COLORS[frm.doc.status] || "gray");
		frm.set_df_property("import_file", "read_only", IMPORT_RUNNING.includes(frm.doc.status));
		mijnrood_import.render_preview(frm);
		mijnrood_import.render_errors(frm);
		if (frm.is_new()) return;
		frappe.realtime.doc_subscribe(frm.doctype, frm.doc.name);
		mijnrood_import.add_buttons(frm, false);
		mijnrood_import.show_progress(frm, frm.doc, null);
		mijnrood_import.poll(frm);
	},
	import_file(frm) {
		// save right away, so Validate is one click after choosing the file
		if (frm.doc.import_file && frm.is_dirty()) frm.save();
	},
});

const mijnrood_import = {
	add_buttons(frm, stale) {
		const status = frm.doc.status;
		frm.clear_custom_buttons();
		if (!frm.doc.import_file) return;
		if (!IMPORT_RUNNING.includes(status) || stale) {
			frm.add_custom_button(__("Validate"), () => mijnrood_import.call(frm, "validate_import"));
		}
		if (["Draft", "Validated", "Failed"].includes(status) || (IMPORT_RUNNING.includes(status) && stale)) {
			const resume = stale || (status === "Failed" && frm.doc.rows_done);
			const label = resume ? __("Resume Import") : __("Start Import");
			frm.add_custom_button(label, () => mijnrood_import.start(frm));
			if (status === "Validated") frm.change_custom_button_type(label, null, "primary");
		}
		if (frm.doc.error_count || frm.doc.skipped_count) {
			frm.add_custom_button(__("Download Errors"), () => {
				const url = `/api/method/${IMPORT_API}.download_errors?import_name=${encodeURIComponent(frm.doc.name)}`;
				window.open(frappe.urllib.get_full_url(url));
			});
		}
		if (frm.doc.bulk_operation_tracker) {
			frm.add_custom_button(__("Account Creation"), () =>
				frappe.set_route("Form", "Bulk Operation Tracker", frm.doc.bulk_operation_tracker)
			);
		}
	},

	start(frm) {
		if (!frm.doc.create_user_accounts) return mijnrood_import.call(frm, "start_import");
		// The account run the import starts at its end: shown before the user confirms.
		frappe.call({ method: `${IMPORT_API}.get_account_plan`, args: { import_name: frm.doc.name }, freeze: true })
			.then((r) => frappe.confirm(
				`<p>${__("User accounts after the import:")}</p>${r.message.html}${__("Start the import?")}`,
				() => mijnrood_import.call(frm, "start_import")
			));
	},

	call(frm, method) {
		frappe.call({ method: `${IMPORT_API}.${method}`, args: { import_name: frm.doc.name }, freeze: true })
			.then(() => frm.reload_doc());
	},

	on_progress(frm, data) {
		if (data.status !== frm.doc.status) {
			frm.reload_doc();
		} else {
			mijnrood_import.show_progress(frm, data, null);
		}
	},

	poll(frm) {
		clearInterval(frm.__import_poll);
		const name = frm.doc.name;
		const tick = () => {
			if (frm.doc.name !== name || !frappe.get_route_str().includes(name)) {
				clearInterval(frm.__import_poll);
				return;
			}
			frappe.call({ method: `${IMPORT_API}.get_import_progress`, args: { import_name: name } }).then((r) => {
				const progress = r.message;
				if (!progress) return;
				if (progress.status !== frm.doc.status) return frm.reload_doc();
				mijnrood_import.show_progress(frm, progress, progress.tracker);
				if (progress.stale) mijnrood_import.add_buttons(frm, true);
				if (!mijnrood_import.is_busy(progress)) clearInterval(frm.__import_poll);
			});
		};
		tick();
		frm.__import_poll = setInterval(tick, POLL_MS);
	},

	is_busy(progress) {
		const tracker = progress.tracker;
		return IMPORT_RUNNING.includes(progress.status) || (tracker && !TRACKER_FINISHED.includes(tracker.status));
	},

	show_progress(frm, progress, tracker) {
		const total = progress.total_rows || 0;
		if (progress.status === "Validating") {
			frm.dashboard.show_progress(__("Import"), 0, __("Checking the file..."));
		} else if (total && (progress.status === "Importing" || progress.rows_done)) {
			const done = progress.rows_done || 0;
			const eta = progress.eta && progress.status === "Importing"
				? __(", expected to finish at {0}", [frappe.datetime.str_to_user(progress.eta)]) : "";
			frm.dashboard.show_progress(__("Import"), Math.round((100 * done) / total),
				__("{0} of {1} rows{2}", [done, total, eta]));
		}
		if (tracker && tracker.total) {
			frm.dashboard.show_progress(__("User Accounts"), Math.round((100 * (tracker.processed || 0)) / tracker.total),
				__("{0} of {1} accounts ({2})", [tracker.processed || 0, tracker.total, __(tracker.status)]));
		}
	},

	render_preview(frm) {
		const wrapper = frm.get_field("preview_html").$wrapper;
		const preview = mijnrood_import.parse(frm.doc.preview_data);
		if (!preview) return wrapper.empty();
		const counts = Object.entries(preview.actions || {})
			.map(([action, count]) => `${ACTION_LABELS[action] || action}: <b>${count}</b>`).join(" &middot; ");
		const chapters = (preview.new_chapters || []).length
			? `<p>${__("New chapters")}: ${preview.new_chapters.map(frappe.utils.escape_html).join(", ")}</p>` : "";
		const rows = (preview.rows || []).map((row) => [
			row.row, row.lidnr, row.member || row.name || "", ACTION_LABELS[row.action] || row.action,
			[...(row.fields.length ? [__("changes: {0}", [row.fields.join(", ")])] : []), ...row.reasons, ...row.warnings]
				.join("; "),
		]);
		const more = preview.rows_not_shown ? `<p class="text-muted">${__("{0} more rows not shown", [preview.rows_not_shown])}</p>` : "";
		wrapper.html(`<p>${counts}</p>${chapters}` +
			mijnrood_import.table([__("Row"), __("Lidnr"), __("Member"), __("Action"), __("Details")], rows) + more);
	},

	render_errors(frm) {
		const wrapper = frm.get_field("errors_html").$wrapper;
		const preview = mijnrood_import.parse(frm.doc.preview_data) || {};
		const failures = mijnrood_import.parse(frm.doc.import_failures) || {};
		const rows = (preview.rows || []).filter((row) => row.reasons.length && !failures[row.row])
			.map((row) => [row.row, row.lidnr, row.reasons.join("; ")]);
		const known = Object.fromEntries((preview.rows || []).map((row) => [row.row, row.lidnr]));
		Object.entries(failures).forEach(([row, reason]) => rows.push([Number(row), known[row] || "", reason]));
		rows.sort((a, b) => a[0] - b[0]);
		if (!rows.length) return wrapper.empty();
		wrapper.html(`<p class="text-muted">${__("Download Errors gives these rows in the file's own format, with a reason column.")}</p>` +
			mijnrood_import.table([__("Row"), __("Lidnr"), __("Reason")], rows.slice(0, 500)));
	},

	table(headers, rows) {
		const esc = (value) => frappe.utils.escape_html(value === null || value === undefined ? "" : String(value));
		const head = headers.map((h) => `<th>${esc(h)}</th>`).join("");
		const body = rows.map((cells) => `<tr>${cells.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`).join("");
		return `<div class="table-responsive" style="max-height: 400px; overflow-y: auto;">
			<table class="table table-bordered table-sm"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
	},

	parse(text) {
		try {
			return text ? JSON.parse(text) : null;
		} catch (e) {
			return null;
		}
	},
};
