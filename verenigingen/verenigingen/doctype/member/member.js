// Copyright (c) 2026, Verenigingen developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Member", {
	refresh(frm) {
		if (frm.doc.user) {
			frm.add_custom_button(__("User"), () => frappe.set_route("Form", "User", frm.doc.user), __("View"));
		} else if (!frm.is_new() && frm.doc.email && frm.doc.status === "Active") {
			frm.add_custom_button(__("Create User Account"), () =>
				frappe.call({
					method: "verenigingen.utils.account_creation_manager.queue_account_creation_for_member",
					args: { member_name: frm.doc.name },
				}).then((r) => {
					frappe.show_alert({ message: __("Account request {0} queued", [r.message.request]), indicator: "green" });
					frm.reload_doc();
				})
			);
		}
	},
});
