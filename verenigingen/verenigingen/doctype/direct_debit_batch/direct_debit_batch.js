// Copyright (c) 2026, Verenigingen developers and contributors
// For license information, please see license.txt

const SEPA_API = "verenigingen.utils.sepa_batches.";

frappe.ui.form.on("Direct Debit Batch", {
	refresh(frm) {
		if (frm.is_new()) return;
		const step = (label, method, statuses) => {
			if (!statuses.includes(frm.doc.status)) return;
			frm.add_custom_button(__(label), () =>
				frappe.call({ method: SEPA_API + method, args: { batch_name: frm.doc.name }, freeze: true })
					.then((r) => {
						if (r.message && r.message.count !== undefined) show_preview(r.message);
						frm.reload_doc();
					})
			);
		};
		step("Fill with Members Due", "fill_batch", ["Draft"]);
		step("Generate pain.008 File", "generate_batch_file", ["Draft"]);
		step("Mark as Submitted", "mark_batch_submitted", ["Generated"]);
		if (frm.doc.xml_file) {
			frm.add_custom_button(__("Download File"), () => {
				window.open(`/api/method/${SEPA_API}download_batch_file?batch_name=${encodeURIComponent(frm.doc.name)}`);
			});
		}
	},
});

function show_preview(totals) {
	frappe.msgprint({
		title: __("Batch Preview"),
		message: __("{0} collections, control sum EUR {1}", [totals.count, totals.control_sum]) +
			"<br>" + __("By sequence type: {0}", [JSON.stringify(totals.by_sequence_type)]) +
			"<br>" + __("By compliance: {0}", [JSON.stringify(totals.by_compliance)]),
	});
}
