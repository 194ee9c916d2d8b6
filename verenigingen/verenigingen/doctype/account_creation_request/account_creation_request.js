// Copyright (c) 2026, Verenigingen developers and contributors
// For license information, please see license.txt

const ACR_API = "verenigingen.utils.account_creation_manager";

frappe.ui.form.on("Account Creation Request", {
	refresh(frm) {
		const colors = {
			Requested: "gray", Queued: "blue", Processing: "orange",
			Completed: "green", Failed: "red", Cancelled: "gray",
		};
		frm.page.set_indicator(__(frm.doc.status), colors[frm.doc.status] || "gray");
		if (frm.is_new()) return;
		if (frm.doc.status === "Failed") {
			frm.add_custom_button(__("Retry"), () =>
				frappe.call({ method: `${ACR_API}.retry_failed_request`, args: { request_name: frm.doc.name } })
					.then(() => frm.reload_doc())
			);
		}
		const cancellable = ["Requested", "Queued"].includes(frm.doc.status)
			|| (frm.doc.status === "Failed" && frm.doc.next_retry_at);
		if (cancellable) {
			frm.add_custom_button(__("Cancel Request"), () =>
				frappe.confirm(__("Cancel this account request?"), () =>
					frappe.call({ method: `${ACR_API}.cancel_request`, args: { request_name: frm.doc.name } })
						.then(() => frm.reload_doc())
				)
			);
		}
	},
});
