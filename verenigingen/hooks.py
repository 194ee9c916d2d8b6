app_name = "verenigingen"
app_title = "Verenigingen"
app_publisher = "Verenigingen developers"
app_description = "Membership administration for Dutch associations: Mijnrood import, member accounts, monitoring"
app_email = "dev@verenigingen.invalid"
app_license = "agpl-3.0"

# Install / uninstall
# -------------------
after_install = "verenigingen.setup.install.after_install"
after_migrate = "verenigingen.setup.install.after_migrate"
before_uninstall = "verenigingen.setup.install.before_uninstall"
# ERPNext installed after this app: its Custom Fields for contribution accounting (setup/erpnext_fields.py).
after_app_install = "verenigingen.setup.erpnext_fields.after_app_install"

# ERPNext contribution accounting on the Member form and list (shown only when ERPNext is installed)
doctype_js = {
	"Member": "public/js/member_erpnext.js",
	"Direct Debit Batch": "public/js/direct_debit_batch_erpnext.js",
}
doctype_list_js = {"Member": "public/js/member_list_erpnext.js"}

# Permissions
# -----------
# A "Verenigingen Member" sees only the Member record linked to their own User.
permission_query_conditions = {
	"Member": "verenigingen.permissions.member_query_conditions",
	"SEPA Mandate": "verenigingen.sepa.permissions.mandate_query_conditions",
}
has_permission = {
	"Member": "verenigingen.permissions.member_has_permission",
	"User": "verenigingen.account_creation.user_guard.user_has_permission",
	# Append-only: no role may create, change or delete a SEPA Audit Log row (verenigingen/sepa/audit.py).
	"SEPA Audit Log": "verenigingen.sepa.audit.audit_log_has_permission",
	"SEPA Mandate": "verenigingen.sepa.permissions.mandate_has_permission",
}

doc_events = {
	# A bank return of a collection booked in ERPNext cancels its Payment Entry (erpnext/payments.py;
	# does nothing without ERPNext).
	"Direct Debit Batch": {"on_update": "verenigingen.erpnext.payments.on_batch_update"},
	# Staff create member Users; these keep them from granting roles or taking over a login.
	"User": {
		"before_validate": "verenigingen.account_creation.user_guard.refuse_login_changes",
		"validate": "verenigingen.account_creation.user_guard.validate_user_roles",
		"before_rename": "verenigingen.account_creation.user_guard.refuse_rename",
	},
	# A member account's Contact skips Frappe's Gravatar request (account_creation/member_contact.py).
	"Contact": {
		"before_validate": "verenigingen.account_creation.member_contact.before_contact_validate",
		"validate": "verenigingen.account_creation.member_contact.after_contact_validate",
	},
}

# Scheduled tasks
# ---------------
scheduler_events = {
	"cron": {
		# Every minute, so a 5-minute first retry is honoured within a minute.
		"* * * * *": ["verenigingen.utils.bulk_retry_processor.process_retry_queues"],
		"*/5 * * * *": ["verenigingen.utils.account_creation_manager.send_welcome_email_wave"],
	},
	# Alert checks: Error Log rate, slow database queries, failed SEPA events (monitoring/alert_checks.py).
	# Queue health: backlog without workers, stuck and failed jobs, too few workers (monitoring/queue_checks.py).
	"hourly": [
		"verenigingen.utils.alert_manager.run_hourly_checks",
		"verenigingen.utils.bulk_queue_config.monitor_bulk_queue_health",
	],
	# Alert checks: member churn, terminations over the last day (monitoring/alert_checks.py).
	# Bulk runs against the success rate, completion time and rate thresholds (monitoring/performance.py).
	"daily": [
		"verenigingen.utils.bulk_performance_monitor.run_performance_monitoring",
		"verenigingen.utils.alert_manager.run_daily_checks",
	],
	# SEPA Audit Log rows older than the retention period (Verenigingen Settings) are removed.
	"daily_long": ["verenigingen.utils.sepa_audit.purge_expired_audit_events"],
}
