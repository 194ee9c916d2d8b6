frappe.listview_settings["Member"] = {
	add_fields: ["status", "user"],
	get_indicator(doc) {
		const colors = { Active: "green", Suspended: "orange", Terminated: "gray", Deceased: "gray" };
		return [__(doc.status), colors[doc.status] || "blue", "status,=," + doc.status];
	},
};
