frappe.listview_settings["Member"] = {
	add_fields: ["status", "user"],
	get_indicator(doc) {
		const colors = { Active: "green", Suspended: "orange", Terminated: "gray", Deceased: "gray" };
		return [__(doc.status), colors[doc.status] || "blue", "status,=," + doc.status];
	},
	onload(listview) {
		listview.page.add_actions_menu_item(__("Create User Accounts"), () => {
			const names = listview.get_checked_items(true);
			if (!names.length) return;
			const method = "verenigingen.utils.account_creation_manager.queue_bulk_account_creation_for_members";
			// First the plan (nothing is created), then the run once the user has seen it.
			frappe.call({ method, args: { member_names: names, dry_run: 1 }, freeze: true }).then((plan) => {
				if (!plan.message.requests) return frappe.msgprint(plan.message.html, __("Create User Accounts"));
				frappe.confirm(plan.message.html + __("Start this run?"), () =>
					frappe.call({ method, args: { member_names: names }, freeze: true }).then((r) => {
						const s = r.message;
						frappe.msgprint(__("{0} queued, {1} refused.", [s.queued, s.refused]));
						if (s.tracker) frappe.set_route("Form", "Bulk Operation Tracker", s.tracker);
					})
				);
			});
		});
	},
};
