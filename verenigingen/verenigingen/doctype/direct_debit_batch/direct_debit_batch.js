// Copyright (c) 2026, Verenigingen developers and contributors
// For license information, please see license.txt

const SEPA_API = "verenigingen.utils.sepa_batches.";

frappe.ui.form.on("Direct Debit Batch", {
	onload(frm) {
		frappe.realtime.on("sepa_prenotification_progress", (data) => {
			if (data.batch !== frm.doc.name) return;
			frm.dashboard.show_progress(__("Pre-notifications"), (data.done / Math.max(data.total, 1)) * 100,
				__("{0} of {1} members notified", [data.done, data.total]));
			if (data.done >= data.total) frm.reload_doc();
		});
	},

	refresh(frm) {
		if (frm.is_new()) {
			show_date_limits(frm);
			return;
		}
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
		if (["Draft", "Generated"].includes(frm.doc.status) && frm.doc.entry_count) {
			add_notification_buttons(frm);
		}
		show_notification_status(frm);
	},

	collection_date(frm) {
		if (frm.is_new()) show_date_limits(frm);
	},
});

function add_notification_buttons(frm) {
	const group = __("Pre-notification");
	if (frm.doc.notification_status !== "Sent") {
		frm.add_custom_button(__("Send Pre-notifications"), () => {
			frappe.confirm(__("E-mail every member of this batch who has not been notified yet?"), () =>
				frappe.call({ method: SEPA_API + "send_prenotifications", args: { batch_name: frm.doc.name }, freeze: true })
					.then((r) => {
						frappe.show_alert({ message: __("{0} e-mails queued", [r.message.pending]), indicator: "blue" });
						frm.reload_doc();
					})
			);
		}, group);
	}
	frm.add_custom_button(__("Record Shorter Notice Period"), () => {
		const dialog = new frappe.ui.Dialog({
			title: __("Record Shorter Notice Period"),
			fields: [
				{ fieldname: "days", fieldtype: "Int", label: __("Agreed Notice Period (days)"), reqd: 1 },
				{
					fieldname: "reason", fieldtype: "Small Text", label: __("Reason for the Shorter Period"), reqd: 1,
					description: __("Where and how the members agreed to it; this is recorded in the SEPA Audit Log."),
				},
			],
			primary_action_label: __("Record"),
			primary_action(values) {
				frappe.call({
					method: SEPA_API + "record_shorter_notice_period",
					args: { batch_name: frm.doc.name, days: values.days, reason: values.reason },
					freeze: true,
				}).then(() => {
					dialog.hide();
					frm.reload_doc();
				});
			},
		});
		dialog.show();
	}, group);
}

function show_notification_status(frm) {
	frappe.call({ method: SEPA_API + "get_notification_status", args: { batch_name: frm.doc.name } }).then((r) => {
		const s = r.message;
		if (!s || !["Draft", "Generated"].includes(frm.doc.status)) return;
		const lines = [
			__("Pre-notification: {0} of {1} members notified ({2}).", [s.notified, s.entries, __(s.notification_status)]),
			__("Notice needed: {0} days, so notify by {1}.", [s.required_days, frappe.datetime.str_to_user(s.notify_by)]),
			__("Earliest valid collection date (bank lead time, submitted today): {0}.",
				[frappe.datetime.str_to_user(s.earliest_by_lead_time)]),
		];
		if (s.agreed_notice_days !== null) {
			lines.push(__("A shorter notice period of {0} days was recorded.", [s.agreed_notice_days]));
		}
		if (s.earliest_by_notice) {
			lines.push(__("Earliest collection date the notifications allow: {0}.",
				[frappe.datetime.str_to_user(s.earliest_by_notice)]));
		}
		const problems = s.problems.map((p) => frappe.utils.escape_html(p));
		frm.set_intro(lines.map((l) => frappe.utils.escape_html(l)).concat(problems).join("<br>"),
			s.can_submit ? "green" : "orange");
	});
}

function show_date_limits(frm) {
	frappe.call({ method: SEPA_API + "get_collection_date_limits" }).then((r) => {
		const s = r.message;
		frm.set_intro(__("Earliest collection date the bank accepts: {0}; with {1} days' pre-notification: {2}.", [
			frappe.datetime.str_to_user(s.earliest_by_lead_time), s.notice_days,
			frappe.datetime.str_to_user(s.earliest_with_notice),
		]), "blue");
	});
}

function show_preview(totals) {
	frappe.msgprint({
		title: __("Batch Preview"),
		message: __("{0} collections, control sum EUR {1}", [totals.count, totals.control_sum]) +
			"<br>" + __("By sequence type: {0}", [JSON.stringify(totals.by_sequence_type)]) +
			"<br>" + __("By compliance: {0}", [JSON.stringify(totals.by_compliance)]),
	});
}
