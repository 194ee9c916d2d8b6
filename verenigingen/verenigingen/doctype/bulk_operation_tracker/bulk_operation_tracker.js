// Copyright (c) 2026, Verenigingen developers and contributors
// For license information, please see license.txt

const ACR_API = "verenigingen.utils.account_creation_manager";
const RETRY_API = "verenigingen.utils.bulk_retry_processor";
const RUNNING = ["Queued", "Processing", "Paused"];
const PAUSABLE = ["Account Creation"];

frappe.ui.form.on("Bulk Operation Tracker", {
	onload(frm) {
		frappe.realtime.doc_subscribe(frm.doctype, frm.doc.name);
		frappe.realtime.on("verenigingen_bulk_progress", (data) => {
			if (data.tracker === frm.doc.name) frm.reload_doc();
		});
	},
	refresh(frm) {
		const colors = {
			Queued: "blue", Processing: "orange", Paused: "yellow", Completed: "green",
			"Completed with Errors": "orange", Failed: "red", Cancelled: "gray",
		};
		frm.page.set_indicator(__(frm.doc.status), colors[frm.doc.status] || "gray");
		if (frm.doc.total) {
			const percent = Math.round((100 * (frm.doc.processed || 0)) / frm.doc.total);
			const eta = frm.doc.eta ? __("expected {0}", [frappe.datetime.comment_when(frm.doc.eta)]) : "";
			frm.dashboard.show_progress(
				__("Progress"), percent,
				__("{0} of {1} processed {2}", [frm.doc.processed || 0, frm.doc.total, eta])
			);
		}
		if (RUNNING.includes(frm.doc.status) && !frm.doc.cancel_requested) {
			frm.add_custom_button(__("Cancel"), () =>
				frappe.confirm(__("Stop this run? Requests not yet started will be cancelled."), () =>
					frappe.call({ method: `${ACR_API}.cancel_bulk_operation`, args: { tracker_name: frm.doc.name } })
						.then(() => frm.reload_doc())
				)
			);
		}
		if (RUNNING.includes(frm.doc.status) && !frm.doc.cancel_requested && PAUSABLE.includes(frm.doc.operation_type)) {
			const pause = !frm.doc.paused;
			frm.add_custom_button(pause ? __("Pause") : __("Resume"), () =>
				frappe.confirm(
					pause
						? __("Pause this run? The member in hand finishes; no other starts until you resume it.")
						: __("Resume this run where it stopped?"),
					() =>
						frappe.call({
							method: `${ACR_API}.${pause ? "pause_bulk_operation" : "resume_bulk_operation"}`,
							args: { tracker_name: frm.doc.name },
						}).then((r) => {
							frappe.show_alert({ message: r.message.message, indicator: "green" }, 10);
							frm.reload_doc();
						})
				)
			);
		}
		if (frm.doc.failed || frm.doc.waiting_for_retry) {
			frm.add_custom_button(__("Retry Failed"), () =>
				frappe.call({ method: `${RETRY_API}.manual_retry_failed_requests`, args: { tracker_name: frm.doc.name } })
					.then(() => frm.reload_doc())
			);
		}
		if (frm.doc.waiting_for_retry) {
			frm.add_custom_button(__("Stop Automatic Retries"), () =>
				frappe.call({ method: `${RETRY_API}.clear_retry_queue`, args: { tracker_name: frm.doc.name } })
					.then(() => frm.reload_doc())
			);
		}
		frm.add_custom_button(__("Requests"), () =>
			frappe.set_route("List", "Account Creation Request", { tracker: frm.doc.name })
		);
	},
});
