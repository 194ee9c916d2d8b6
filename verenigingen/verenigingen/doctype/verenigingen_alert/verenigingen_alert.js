// Copyright (c) 2026, Verenigingen developers and contributors
// For license information, please see license.txt

const ALERT_API = "verenigingen.utils.alert_manager";

frappe.ui.form.on("Verenigingen Alert", {
	refresh(frm) {
		const colors = { Info: "blue", Warning: "yellow", High: "orange", Critical: "red" };
		const color = frm.doc.status === "Resolved" ? "green" : colors[frm.doc.severity] || "gray";
		frm.page.set_indicator(__(frm.doc.status), color);
		// The server checks the role again; the buttons only show where they can work.
		if (frm.doc.status === "Resolved" || !frm.perm[0].write) return;
		if (frm.doc.status === "Open") {
			frm.add_custom_button(__("Acknowledge"), () => handle(frm, "acknowledge_alert"));
		}
		frm.add_custom_button(__("Resolve"), () => handle(frm, "resolve_alert"));
	},
});

function handle(frm, method) {
	frappe
		.call({ method: `${ALERT_API}.${method}`, args: { name: frm.doc.name }, freeze: true })
		.then(() => frm.reload_doc());
}
