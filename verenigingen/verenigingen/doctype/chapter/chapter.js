// Copyright (c) 2026, Verenigingen developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Chapter", {});
