// ERPNext contribution accounting on the Member form: the Customer and outstanding contributions.
// Only when ERPNext is installed and the user holds an accounting role (verenigingen/erpnext).
frappe.ui.form.on("Member", {
	refresh(frm) {
		const accounting = ["Accounts Manager", "Accounts User"];
		if (frm.is_new() || !(frappe.boot.versions || {}).erpnext || !frappe.user.has_role(accounting)) return;
		frappe
			.call({
				method: "verenigingen.utils.erpnext_contributions.get_member_contributions",
				args: { member_name: frm.doc.name },
			})
			.then((r) => {
				const data = r.message || {};
				const parts = [
					data.customer
						? __("Customer: {0}", [`<a href="/app/customer/${encodeURIComponent(data.customer)}">${frappe.utils.escape_html(data.customer)}</a>`])
						: __("No Customer yet"),
					__("Outstanding contributions: {0} ({1} invoices)", [
						format_currency(data.total_outstanding || 0, "EUR"),
						(data.outstanding || []).length,
					]),
				];
				frm.dashboard.set_headline(parts.join(" · "), data.total_outstanding ? "orange" : "blue");
			});
	},
});
