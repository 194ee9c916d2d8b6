// Copyright (c) 2026, Verenigingen developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Member", {
	refresh(frm) {
		if (frm.doc.user) {
			frm.add_custom_button(__("User"), () => frappe.set_route("Form", "User", frm.doc.user), __("View"));
		}
	},
});
