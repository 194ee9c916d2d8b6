// Filters of the Bulk Operations Performance Report; the rows, totals and chart come from execute().
frappe.query_reports["Bulk Operations Performance Report"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_days(frappe.datetime.get_today(), -30),
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
		},
		{
			fieldname: "status",
			label: __("Status"),
			fieldtype: "Select",
			options: [
				"",
				"Queued",
				"Processing",
				"Completed",
				"Completed with Errors",
				"Failed",
				"Cancelled",
			],
		},
		{
			fieldname: "source_import",
			label: __("Source Import"),
			fieldtype: "Link",
			options: "Mijnrood CSV Import",
		},
	],
};
