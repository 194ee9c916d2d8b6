// Member list: "Create Customers" (a bulk run) when ERPNext is installed (verenigingen/erpnext).
(() => {
	const settings = frappe.listview_settings["Member"] || {};
	const base_onload = settings.onload;
	settings.onload = function (listview) {
		if (base_onload) base_onload.call(this, listview);
		const accounting = ["Accounts Manager", "Accounts User"];
		if (!(frappe.boot.versions || {}).erpnext || !frappe.user.has_role(accounting)) return;
		listview.page.add_actions_menu_item(__("Create Customers"), () => {
			const names = listview.get_checked_items(true);
			if (!names.length) return;
			frappe
				.call({
					method: "verenigingen.utils.erpnext_contributions.queue_customers_for_members",
					args: { member_names: names },
					freeze: true,
				})
				.then((r) => {
					const s = r.message;
					frappe.msgprint(__("{0} members queued for a Customer.", [s.queued]));
					if (s.tracker) frappe.set_route("Form", "Bulk Operation Tracker", s.tracker);
				});
		});
	};
	frappe.listview_settings["Member"] = settings;
})();
