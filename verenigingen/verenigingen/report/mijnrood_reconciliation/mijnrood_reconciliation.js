// Mijnrood Reconciliation: filters, and the bulk fixes as buttons. The server computes the findings
// again for the same filters and acts only on those; these buttons send no member names.
const RECONCILIATION_API = "verenigingen.utils.reconciliation";
const RECONCILIATION_ADMIN_ROLES = ["System Manager", "Verenigingen Administrator"];
const RECONCILIATION_STAFF_ROLES = [...RECONCILIATION_ADMIN_ROLES, "Verenigingen Manager"];

frappe.query_reports["Mijnrood Reconciliation"] = {
	filters: [
		{
			fieldname: "mijnrood_import",
			label: __("Mijnrood Import"),
			fieldtype: "Link",
			options: "Mijnrood CSV Import",
			description: __("Empty: the newest completed import"),
			get_query: () => ({ filters: { status: ["in", ["Completed", "Completed with Errors"]] } }),
		},
		{
			fieldname: "kind",
			label: __("Finding"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "Missing Member", label: __("Missing Member") },
				{ value: "Not in Export", label: __("Not in Export") },
				{ value: "Member without User", label: __("Member without User") },
				{ value: "User without Member", label: __("User without Member") },
				{ value: "Email Differs", label: __("Email Differs") },
				{ value: "Name Differs", label: __("Name Differs") },
				{ value: "IBAN without Mandate", label: __("IBAN without Mandate") },
			],
		},
	],

	onload(report) {
		if (frappe.user.has_role(RECONCILIATION_STAFF_ROLES)) {
			report.page.add_inner_button(__("Create Missing Accounts"), () =>
				run_reconciliation_fix(report, {
					fix: "Create Account",
					method: "create_missing_accounts",
					question: (count) => __("Queue a bulk account run for {0} members without a login?", [count]),
				})
			);
		}
		if (frappe.user.has_role(RECONCILIATION_ADMIN_ROLES)) {
			report.page.add_inner_button(__("Queue Missing Mandates"), () =>
				run_reconciliation_fix(report, {
					fix: "Queue Mandate",
					method: "queue_missing_mandates",
					question: (count) =>
						__("Queue a mandate run for {0} members with an IBAN and no active mandate?", [count]),
				})
			);
		}
	},
};

function run_reconciliation_fix(report, { fix, method, question }) {
	const count = (report.data || []).filter((row) => row.fix === fix).length;
	if (!count) {
		frappe.msgprint(__("None of the findings shown can be fixed this way."));
		return;
	}
	frappe.confirm(question(count), () => {
		frappe.call({
			method: `${RECONCILIATION_API}.${method}`,
			args: report.get_filter_values(),
			freeze: true,
			callback: ({ message }) => {
				frappe.msgprint(reconciliation_fix_summary(message));
				report.refresh();
			},
		});
	});
}

function reconciliation_fix_summary(summary) {
	if (!summary.tracker) {
		return __("Nothing was queued: the findings changed since the report was shown.");
	}
	const run = `<a href="/app/bulk-operation-tracker/${encodeURIComponent(summary.tracker)}">${frappe.utils.escape_html(summary.tracker)}</a>`;
	const queued = __("{0} members queued in run {1}.", [summary.queued, run]);
	return summary.refused ? `${queued} ${__("{0} refused.", [summary.refused])}` : queued;
}
