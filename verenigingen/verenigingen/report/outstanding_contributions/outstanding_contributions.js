frappe.query_reports["Outstanding Contributions"] = {
	filters: [{ fieldname: "chapter", label: __("Chapter"), fieldtype: "Link", options: "Chapter" }],
};
