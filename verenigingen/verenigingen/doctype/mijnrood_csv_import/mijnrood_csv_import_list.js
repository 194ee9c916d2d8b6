// Copyright (c) 2026, Verenigingen developers and contributors
// For license information, please see license.txt

frappe.listview_settings["Mijnrood CSV Import"] = {
	get_indicator(doc) {
		const colors = {
			Draft: "gray", Validating: "orange", Validated: "blue", Importing: "orange",
			Completed: "green", "Completed with Errors": "orange", Failed: "red",
		};
		return [__(doc.status), colors[doc.status] || "gray", `status,=,${doc.status}`];
	},
};
