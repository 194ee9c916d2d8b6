// Direct Debit Batch with ERPNext: fill it from outstanding contribution invoices; book the payments
// once collected (verenigingen/erpnext). Shown only when ERPNext is installed, to accounting roles.
frappe.ui.form.on("Direct Debit Batch", {
	refresh(frm) {
		const accounting = ["Accounts Manager", "Accounts User"];
		if (frm.is_new() || !(frappe.boot.versions || {}).erpnext || !frappe.user.has_role(accounting)) return;
		const run = (method, label) =>
			frappe
				.call({ method: `verenigingen.utils.erpnext_contributions.${method}`, args: { batch_name: frm.doc.name }, freeze: true })
				.then((r) => {
					const s = r.message || {};
					frappe.show_alert({ message: label, indicator: "green" });
					if (s.tracker) frappe.set_route("Form", "Bulk Operation Tracker", s.tracker);
					else frm.reload_doc();
				});
		if (frm.doc.status === "Draft") {
			frm.add_custom_button(__("Fill from Contribution Invoices"), () =>
				run("fill_batch_from_invoices", __("Batch filled from invoices"))
			);
		}
		if (["Submitted", "Processed"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Book Payments"), () => run("book_batch_payments", __("Payments queued")));
		}
	},
});
