frappe.listview_settings["Account Creation Request"] = {
	add_fields: ["status", "failure_class"],
	get_indicator(doc) {
		const colors = {
			Requested: "gray", Queued: "blue", Processing: "orange",
			Completed: "green", Failed: "red", Cancelled: "gray",
		};
		return [__(doc.status), colors[doc.status] || "gray", "status,=," + doc.status];
	},
};
