"""Every whitelisted endpoint of the app, called over HTTP as six kinds of user, against EXPECTED.

The endpoints come from Frappe's whitelist registry after importing every module of the app,
so a new endpoint without a row in EXPECTED fails the test. "Allowed" means the answer is not a
permission refusal (HTTP 403): an allowed call may still fail on its arguments (404, 417).
Arguments name documents that do not exist, so an allowed call changes nothing.

To add an endpoint: one row in EXPECTED with the identities that may call it (STAFF, ADMINS, ...);
when the made-up arguments would not reach its permission check or would do harm, add ARGS.
"""

import importlib
import inspect
import pkgutil
import time
from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase

import verenigingen
from verenigingen.permissions import ADMINISTRATOR_ROLE, MANAGER_ROLE, MEMBER_ROLE
from verenigingen.tests.factories import make_member
from verenigingen.tests.http_session import ApiSession, WebServer, is_refusal, make_user_with_password

# Who calls: the six identities of issue 11.
GUEST = "guest"
MEMBER = "member"  # a member's website user (Verenigingen Member)
DESK_USER = "desk_user"  # a System User without any of the app's roles
MANAGER = "manager"  # Verenigingen Manager
ADMIN = "admin"  # Verenigingen Administrator
SYSTEM_MANAGER = "system_manager"  # System Manager only
IDENTITIES = (GUEST, MEMBER, DESK_USER, MANAGER, ADMIN, SYSTEM_MANAGER)

NOBODY = frozenset()
ADMINS = frozenset({ADMIN, SYSTEM_MANAGER})
STAFF = ADMINS | {MANAGER}
LOGGED_IN = STAFF | {MEMBER, DESK_USER}
EVERYONE = LOGGED_IN | {GUEST}

# Dotted path (as /api/method/<path> takes it; Class.method for DocType controllers) -> who may call.
EXPECTED: dict[str, frozenset] = {
	# Member accounts
	"verenigingen.utils.account_creation_manager.queue_account_creation_for_member": STAFF,
	"verenigingen.utils.account_creation_manager.queue_bulk_account_creation_for_members": STAFF,
	"verenigingen.utils.account_creation_manager.get_failed_requests": STAFF,
	"verenigingen.utils.account_creation_manager.retry_failed_request": STAFF,
	"verenigingen.utils.account_creation_manager.cancel_request": STAFF,
	"verenigingen.utils.account_creation_manager.cancel_bulk_operation": STAFF,
	# pause and resume: who may cancel a run (require_run_control), issue 17
	"verenigingen.utils.account_creation_manager.pause_bulk_operation": STAFF,
	"verenigingen.utils.account_creation_manager.resume_bulk_operation": STAFF,
	"verenigingen.utils.bulk_retry_processor.manual_retry_failed_requests": STAFF,
	"verenigingen.utils.bulk_retry_processor.get_retry_queue_status": STAFF,
	"verenigingen.utils.bulk_retry_processor.clear_retry_queue": STAFF,
	# Mijnrood import
	"verenigingen.utils.mijnrood_import.validate_import": STAFF,
	"verenigingen.utils.mijnrood_import.start_import": STAFF,
	"verenigingen.utils.mijnrood_import.download_errors": STAFF,
	"verenigingen.utils.mijnrood_import.get_import_progress": STAFF,
	"verenigingen.utils.mijnrood_import.get_import_defaults": STAFF,
	# Mijnrood reconciliation (issue 17): Managers may start account runs, only ADMINS queue mandates
	"verenigingen.utils.reconciliation.get_reconciliation": STAFF,
	"verenigingen.utils.reconciliation.create_missing_accounts": STAFF,
	"verenigingen.utils.reconciliation.queue_missing_mandates": ADMINS,
	"verenigingen.utils.mijnrood_import.get_account_plan": STAFF,
	# Monitoring
	"verenigingen.utils.health.check": EVERYONE,  # details only for staff
	"verenigingen.utils.health.metrics": frozenset({SYSTEM_MANAGER}),  # and Verenigingen Monitoring
	"verenigingen.utils.resource_monitor.get_system_metrics": STAFF,
	"verenigingen.utils.bulk_queue_config.get_queue_status": STAFF,
	"verenigingen.utils.bulk_queue_config.clear_stuck_jobs": ADMINS,
	"verenigingen.utils.bulk_performance_monitor.get_performance_dashboard_data": STAFF,
	"verenigingen.utils.analytics_engine.generate_insights_report": STAFF,
	"verenigingen.utils.alert_manager.get_active_alerts": STAFF,
	"verenigingen.utils.operator_status.get_operator_status": STAFF,  # bench verenigingen-status --json
	"verenigingen.utils.alert_manager.acknowledge_alert": ADMINS,
	"verenigingen.utils.alert_manager.resolve_alert": ADMINS,
	# Monitoring pages (issue 9): a run's buttons take the account API's guard (require_run_control,
	# issue 17); clearing stuck jobs, alerts and the web dashboard are for the admin roles
	"verenigingen.utils.bulk_operations_monitor.get_monitor_data": STAFF,
	"verenigingen.utils.bulk_operations_monitor.cancel_run": STAFF,
	"verenigingen.utils.bulk_operations_monitor.retry_run": STAFF,
	"verenigingen.utils.bulk_operations_monitor.clear_run_retries": STAFF,
	"verenigingen.www.monitoring_dashboard.get_system_metrics": ADMINS,
	# SEPA
	"verenigingen.utils.sepa_mandates.queue_mandates_for_members": ADMINS,
	"verenigingen.utils.sepa_mandates.update_mandate_for_member": ADMINS,
	"verenigingen.utils.sepa_batches.fill_batch": ADMINS,
	"verenigingen.utils.sepa_batches.get_batch_preview": STAFF,
	"verenigingen.utils.sepa_batches.generate_batch_file": ADMINS,
	"verenigingen.utils.sepa_batches.download_batch_file": ADMINS,
	"verenigingen.utils.sepa_batches.mark_batch_submitted": ADMINS,
	"verenigingen.utils.sepa_batches.record_collection_outcome": ADMINS,
	"verenigingen.utils.sepa_batches.import_bank_return": ADMINS,
	"verenigingen.utils.sepa_batches.send_prenotifications": ADMINS,
	"verenigingen.utils.sepa_batches.get_notification_status": STAFF,
	"verenigingen.utils.sepa_batches.get_collection_date_limits": STAFF,
	"verenigingen.utils.sepa_batches.record_shorter_notice_period": ADMINS,
	# ERPNext contribution accounting (issue 15): an ERPNext accounting role (Accounts User/Manager) and a
	# staff role; none of the six identities has both (a System Manager has no accounting rights in ERPNext
	# either). The same on a bench without ERPNext: the role check comes before "ERPNext is not installed".
	# The allowed side is tested in test_erpnext_contributions (a treasurer with those roles).
	"verenigingen.utils.erpnext_contributions.queue_customers_for_members": NOBODY,
	"verenigingen.utils.erpnext_contributions.queue_contribution_invoices": NOBODY,
	"verenigingen.utils.erpnext_contributions.fill_batch_from_invoices": NOBODY,
	"verenigingen.utils.erpnext_contributions.book_batch_payments": NOBODY,
	"verenigingen.utils.erpnext_contributions.get_member_contributions": NOBODY,
}

# Desk pages, Script Reports and www pages of the app -> who may open them.
EXPECTED_VIEWS: dict[str, frozenset] = {
	"page:bulk-operations-monitor": STAFF,
	"report:Bulk Operations Performance Report": STAFF,
	"report:Mijnrood Reconciliation": STAFF,
	"report:Outstanding Contributions": NOBODY,  # Accounts User/Manager only (test_erpnext_contributions)
	"www:/monitoring_dashboard": ADMINS,
}

# Arguments for endpoints the made-up ones (see dummy_value) would not serve; path -> {arg: value}.
ARGS: dict[str, dict] = {
	# without an import named, the fixes act on the newest import's findings: name one that does not exist
	"verenigingen.utils.reconciliation.create_missing_accounts": {
		"mijnrood_import": "permission-matrix-nonexistent"
	},
	"verenigingen.utils.reconciliation.queue_missing_mandates": {
		"mijnrood_import": "permission-matrix-nonexistent"
	},
}

# Frappe's own endpoints that could hand a member's login to someone else (issue 11, point 8).
# "{victim}" is another member's User, "{renamed}" an address nobody uses. Called in this order:
# the System Manager's keys exist before get_password, and the rename comes last.
ACCOUNT_TAKEOVER: tuple[tuple[str, dict, frozenset], ...] = (
	(
		"frappe.client.set_value",
		{
			"doctype": "User",
			"name": "{victim}",
			"fieldname": "new_password",
			"value": "Matrix-Takeover-2026!",
		},
		frozenset({SYSTEM_MANAGER}),
	),
	(
		"frappe.client.set_value",
		{"doctype": "User", "name": "{victim}", "fieldname": "username", "value": "{renamed}"},
		frozenset({SYSTEM_MANAGER}),
	),
	("frappe.core.doctype.user.user.generate_keys", {"user": "{victim}"}, frozenset({SYSTEM_MANAGER})),
	(
		"frappe.client.get_password",
		{"doctype": "User", "name": "{victim}", "fieldname": "api_secret"},
		frozenset({SYSTEM_MANAGER}),
	),
	("frappe.core.doctype.user.user.impersonate", {"user": "{victim}", "reason": "matrix"}, NOBODY),
	(
		"frappe.client.rename_doc",
		{"doctype": "User", "old_name": "{victim}", "new_name": "{renamed}@example.nl"},
		frozenset({SYSTEM_MANAGER}),
	),
)

NONEXISTENT = "permission-matrix-nonexistent"
GARBAGE = "[not json, not a number"
PASSWORD = "Matrix-Test-2026!"
DESK_ROLE = "Verenigingen Test Desk Role"


def app_endpoints() -> dict[str, object]:
	"""Whitelisted functions defined in the app, by dotted path, after importing every module."""
	for module in pkgutil.walk_packages(verenigingen.__path__, "verenigingen."):
		if not module.name.startswith("verenigingen.tests"):
			importlib.import_module(module.name)
	return {
		f"{fn.__module__}.{fn.__qualname__}": fn
		for fn in frappe.whitelisted
		if fn.__module__ == "verenigingen" or fn.__module__.startswith("verenigingen.")
	}


def dummy_value(annotation):
	"""A value of the argument's type that names nothing real."""
	text = str(annotation)
	for marker, value in (
		("list", []),
		("tuple", []),
		("dict", {}),
		("bool", False),
		("int", 0),
		("float", 0),
	):
		if marker in text:
			return value
	return NONEXISTENT


def parameters(fn, required_only: bool) -> dict[str, inspect.Parameter]:
	return {
		name: param
		for name, param in inspect.signature(fn).parameters.items()
		if name != "self"
		and not (required_only and param.default is not inspect.Parameter.empty)
		and param.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
	}


def call_args(path: str, fn) -> dict:
	"""Every required argument, made up, overridden by ARGS."""
	made_up = {name: dummy_value(param.annotation) for name, param in parameters(fn, True).items()}
	return {**made_up, **ARGS.get(path, {})}


def garbage_args(path: str, fn) -> dict:
	"""Every argument, optional ones too, unparseable where Frappe does not check the type itself."""
	args = {}
	for name, param in parameters(fn, False).items():
		typed = dummy_value(param.annotation)
		args[name] = GARBAGE if typed == NONEXISTENT else typed
	return args


def controller_doctype(fn) -> str | None:
	"""The DocType whose controller defines ``fn``, or None for a module-level function."""
	if "." not in fn.__qualname__:
		return None
	folder = fn.__module__.rsplit(".", 1)[-1]
	return next(name for name in frappe.get_all("DocType", pluck="name") if frappe.scrub(name) == folder)


def call_endpoint(session: ApiSession, path: str, fn, make_args=call_args):
	doctype = controller_doctype(fn)
	if doctype is None:
		return session.call(path, make_args(path, fn))
	doc = {"doctype": doctype, "name": NONEXISTENT, "__islocal": 1}
	return session.call_doc_method(doc, fn.__name__, make_args(path, fn))


def app_views() -> list[str]:
	"""The app's Desk pages, Script Reports and www pages, as keys of EXPECTED_VIEWS."""
	module = {"module": "Verenigingen"}
	www = Path(frappe.get_app_path("verenigingen", "www"))
	return sorted(
		[f"page:{name}" for name in frappe.get_all("Page", filters=module, pluck="name")]
		+ [f"report:{name}" for name in frappe.get_all("Report", filters=module, pluck="name")]
		+ [f"www:/{path.stem}" for path in www.glob("*.html")]
	)


def open_view(session: ApiSession, view: str):
	"""Open a view the way Desk or a browser does."""
	kind, name = view.split(":", 1)
	if kind == "page":
		return session.call("frappe.desk.desk_page.getpage", {"name": name})
	if kind == "report":
		return session.call("frappe.desk.query_report.run", {"report_name": name, "filters": {}})
	return session.http.get(f"{session.base_url}{name}", allow_redirects=False, timeout=60)


def view_refused(response) -> bool:
	"""403, or a guest sent to the login page."""
	return is_refusal(response) or (
		response.status_code in (301, 302) and "/login" in response.headers["Location"]
	)


def ensure_desk_role() -> None:
	"""A desk role outside the app, so the desk user is a real System User."""
	if not frappe.db.exists("Role", DESK_ROLE):
		frappe.get_doc({"doctype": "Role", "role_name": DESK_ROLE, "desk_access": 1}).insert()


def make_identities() -> dict[str, str | None]:
	"""One User per identity (Guest has none), all with PASSWORD; committed for the web server."""
	ensure_desk_role()
	member = make_user_with_password(PASSWORD, roles=(MEMBER_ROLE,))
	make_member(email=member.name, user=member.name)
	users = {
		GUEST: None,
		MEMBER: member.name,
		DESK_USER: make_user_with_password(PASSWORD, (DESK_ROLE,), "System User").name,
		MANAGER: make_user_with_password(PASSWORD, (MANAGER_ROLE,), "System User").name,
		ADMIN: make_user_with_password(PASSWORD, (ADMINISTRATOR_ROLE,), "System User").name,
		SYSTEM_MANAGER: make_user_with_password(PASSWORD, ("System Manager",), "System User").name,
	}
	frappe.db.commit()
	return users


def describe(response) -> str:
	exc_type = ""
	try:
		exc_type = response.json().get("exc_type") or ""
	except ValueError:
		pass
	return f"{response.status_code} {exc_type}".strip()


class TestPermissionMatrix(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.users = make_identities()
		cls.server = WebServer(frappe.local.site).start()
		cls.sessions = {
			identity: ApiSession(cls.server.url, user, PASSWORD if user else None)
			for identity, user in cls.users.items()
		}

	@classmethod
	def tearDownClass(cls):
		cls.server.stop()
		super().tearDownClass()

	def test_every_endpoint_has_a_row(self):
		"""A whitelisted function without a row in EXPECTED (or a row without a function) fails."""
		found = set(app_endpoints())
		missing = sorted(found - set(EXPECTED))
		stale = sorted(set(EXPECTED) - found)
		self.assertTrue(found, "no whitelisted function found in the app")
		messages = [f"add {path} to EXPECTED in {__name__}" for path in missing]
		messages += [
			f"remove {path} from EXPECTED in {__name__}: no such whitelisted function" for path in stale
		]
		if messages:
			self.fail("\n".join(messages))

	def test_each_identity_is_allowed_exactly_where_expected(self):
		"""Call every endpoint as every identity over HTTP; refusals must match EXPECTED."""
		started, calls, wrong = time.monotonic(), 0, []
		endpoints = {path: fn for path, fn in app_endpoints().items() if path in EXPECTED}
		for path, fn in sorted(endpoints.items()):
			for identity in IDENTITIES:
				response = call_endpoint(self.sessions[identity], path, fn)
				calls += 1
				expected = identity in EXPECTED[path]
				if expected == is_refusal(response):
					wrong.append(self.mismatch(path, identity, expected, response))
		print(f"permission matrix: {calls} HTTP calls in {time.monotonic() - started:.1f} s")
		if wrong:
			self.fail("\n".join(wrong))

	def test_every_view_has_a_row_and_opens_for_exactly_its_identities(self):
		"""Desk pages, Script Reports and www pages: a new one without a row fails, like an endpoint."""
		views = app_views()
		missing = [
			f"add {view} to EXPECTED_VIEWS in {__name__}" for view in views if view not in EXPECTED_VIEWS
		]
		stale = [
			f"remove {view} from EXPECTED_VIEWS: no such view" for view in EXPECTED_VIEWS if view not in views
		]
		wrong = []
		for view in (v for v in views if v in EXPECTED_VIEWS):
			for identity in IDENTITIES:
				response = open_view(self.sessions[identity], view)
				if (identity in EXPECTED_VIEWS[view]) == view_refused(response):
					wrong.append(self.mismatch(view, identity, identity in EXPECTED_VIEWS[view], response))
		if missing + stale + wrong:
			self.fail("\n".join(missing + stale + wrong))

	def test_refusal_comes_before_reading_the_arguments(self):
		"""Unparseable arguments still get 403 for those refused: the role check runs first."""
		wrong = []
		endpoints = {path: fn for path, fn in app_endpoints().items() if path in EXPECTED}
		for path, fn in sorted(endpoints.items()):
			for identity in sorted(LOGGED_IN - EXPECTED[path]):
				response = call_endpoint(self.sessions[identity], path, fn, garbage_args)
				if not is_refusal(response):
					wrong.append(
						self.mismatch(path, identity, False, response) + " (with unparseable arguments)"
					)
		if wrong:
			self.fail("\n".join(wrong))

	def test_no_staff_role_takes_over_a_member_login(self):
		"""Frappe's own password, key and impersonation endpoints, against another member's User."""
		victim = make_user_with_password(PASSWORD, roles=(MEMBER_ROLE,)).name
		renamed = f"renamed.{frappe.generate_hash(length=8).lower()}"
		frappe.db.commit()
		wrong = []
		for method, template, allowed in ACCOUNT_TAKEOVER:
			args = {key: value.format(victim=victim, renamed=renamed) for key, value in template.items()}
			for identity in IDENTITIES:
				response = self.sessions[identity].call(method, args)
				if (identity in allowed) == is_refusal(response):
					wrong.append(
						self.mismatch(
							f"{method} {args.get('fieldname', '')}", identity, identity in allowed, response
						)
					)
		if wrong:
			self.fail("\n".join(wrong))

	@staticmethod
	def mismatch(path: str, identity: str, expected: bool, response) -> str:
		should = "be allowed" if expected else "be refused"
		return f"{path}: {identity} should {should}, got {describe(response)}"
