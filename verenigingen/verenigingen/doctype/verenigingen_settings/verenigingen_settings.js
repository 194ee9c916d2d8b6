// Copyright (c) 2026, Verenigingen developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Verenigingen Settings", {
	refresh(frm) {
		frm.set_intro(
			__("Bulk jobs run on the 'bulk' queue. Run a worker for it with: bench worker --queue bulk"),
			"blue"
		);
	},
});
