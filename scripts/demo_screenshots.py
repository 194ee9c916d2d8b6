"""The README's pictures, taken from the quickstart's demo site after a realistic day.

Run once on a demo site that scripts/quickstart.sh just made and whose processes it started
(web with realtime, socketio, scheduler, workers), from the bench's sites folder:

	cd /opt/frappe-bench/sites
	../env/bin/python /path/to/verenigingen/scripts/demo_screenshots.py \
		--site verenigingen-demo.localhost --url http://verenigingen-demo.localhost:8000

The day, all through the app's own paths. The secretary (a Verenigingen Administrator) types the
bank account that a member phoned in into her Member record (the one whose IBAN in Mijnrood is
wrong, so she has no mandate yet) and mistypes one digit. Then she imports a newer Mijnrood export
(the 300 members again plus 40 who joined); its SEPA mandate run makes the new members' mandates
and refuses the mistyped IBAN, a Failed SEPA event. She creates the new members' logins from the
Member list's bulk action. That run is held at its 16th member by a Member row lock
(verenigingen/tests/blocking.py) so it is *in progress* while the monitor is photographed, in
English and in Dutch. The hourly checks run as the scheduler runs them: the refused IBAN opens one
SEPA alert. Released, the run completes; then the performance report (four runs), the import form,
the Direct Debit Batch and /monitoring_dashboard are photographed. Needs Debian's Chromium and
Playwright (pip), as the browser tests do. Pictures go to docs/images/.
"""

import argparse
import secrets
import time
from pathlib import Path

import frappe
import requests
from frappe.utils import today
from frappe.utils.password import update_password

IMAGES = Path(__file__).resolve().parents[1] / "docs" / "images"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--host-resolver-rules=MAP *.localhost 127.0.0.1"]
STEP_MS = 60_000
SECRETARY = ("secretaris@vereniging-demo.nl", "Sanne", "de Boer")
NEWER_EXPORT = "Export Ledendatabase december.xlsx"
JOINED = 40
HELD_AT = 15  # the run stops at its 16th member: 15 logins are made first
MONITOR = "/app/bulk-operations-monitor"
# What a user does by dragging each column's edge until its label and values show whole: the
# report's columns are drawn at their configured widths, which cut off longer values.
FIT_COLUMNS = """() => {
	const table = frappe.query_report.datatable;
	const sample = document.querySelector(".dt-scrollable .dt-cell__content");
	const style = getComputedStyle(sample);
	const context = document.createElement("canvas").getContext("2d");
	context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
	const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight) + 24;
	for (const column of table.getColumns()) {
		if (column.id.startsWith("_")) continue;  // the row number and checkbox columns
		const texts = [column.content || "", ...[...document.querySelectorAll(
			`.dt-cell__content--col-${column.colIndex}`)].map((cell) => cell.textContent.trim())];
		const width = Math.ceil(Math.max(...texts.map((text) => context.measureText(text).width))) + padding;
		if (width > column.width) {
			table.datamanager.updateColumn(column.colIndex, { width });
			table.columnmanager.setColumnHeaderWidth(column.colIndex);
			table.columnmanager.setColumnWidth(column.colIndex);
		}
	}
	table.style.setBodyStyle();
}"""
REPORT = "/app/query-report/Bulk Operations Performance Report"


def ensure_secretary(password: str) -> str:
	"""The association's secretary: a staff login with the app's administrator role."""
	from verenigingen.account_creation.user_factory import without_creation_throttle

	email, first, last = SECRETARY
	if not frappe.db.exists("User", email):
		user = frappe.new_doc("User")
		user.update({"email": email, "first_name": first, "last_name": last, "user_type": "System User",
			"send_welcome_email": 0, "language": "en"})
		user.append("roles", {"role": "Verenigingen Administrator"})
		# the demo just made hundreds of member logins: Frappe's sign-up throttle (60 an hour) would
		# refuse one more, which an administrator creating a staff login is not meant to meet
		with without_creation_throttle():
			user.insert()
	update_password(email, password)
	frappe.db.commit()
	return email


def set_language(user: str, language: str) -> None:
	frappe.db.set_value("User", user, "language", language)
	frappe.db.commit()
	frappe.clear_cache(user=user)


def phoned_member() -> str:
	"""The demo member whose IBAN in Mijnrood fails its check (imported without one, so no mandate)."""
	from verenigingen.demo.mijnrood_export import generate_members
	from verenigingen.demo.site import DEMO_COUNT, DEMO_SEED

	rows = [row for row in generate_members(DEMO_COUNT, DEMO_SEED, True) if row["defect"] == "bad_iban"]
	return frappe.get_all("Member", filters={"name": ("in", [str(row["lidnr"]) for row in rows])}, pluck="name")[0]


def type_phoned_iban(member: str) -> str:
	"""As the secretary does in the Member form: the account the member phoned in, one digit mistyped."""
	import random

	from verenigingen.core.sepa.accounts import check_iban
	from verenigingen.demo.mijnrood_people import broken_iban, dutch_iban

	typed = broken_iban(dutch_iban(random.Random(f"phoned-{member}")))
	assert not check_iban(typed).valid, typed
	doc = frappe.get_doc("Member", member)
	doc.iban = typed
	doc.save()
	frappe.db.commit()
	return typed


def newer_export() -> bytes:
	"""The demo's 300 members as they were, and 40 who joined since (Lidnr 1300-1339)."""
	from verenigingen.demo.mijnrood_export import generate_members, render
	from verenigingen.demo.site import DEMO_COUNT, DEMO_SEED

	known = generate_members(DEMO_COUNT, DEMO_SEED, True)
	joined = generate_members(DEMO_COUNT + JOINED, DEMO_SEED, defects=False)[DEMO_COUNT:]
	return render(known + joined, "xlsx")


def import_newer_export() -> str:
	"""As the secretary uploads it and presses Start Import (no accounts: those follow from the list)."""
	import tempfile

	from verenigingen.demo.site import find_demo_import
	from verenigingen.member_import.cli import import_from_path

	with tempfile.TemporaryDirectory() as folder:
		path = Path(folder) / NEWER_EXPORT
		path.write_bytes(newer_export())
		import_from_path(str(path), validate_only=False, create_accounts=False, send_welcome_emails=False)
	return find_demo_import(NEWER_EXPORT).name


def members_without_login() -> list[str]:
	return frappe.get_all("Member", filters={"status": "Active", "user": ("is", "not set"),
		"email": ("is", "set")}, pluck="name", order_by="name asc")


def wait_for(condition, what: str, timeout: float = 300) -> None:
	deadline = time.monotonic() + timeout
	while time.monotonic() < deadline:
		frappe.db.rollback()  # see the workers' commits
		if condition():
			return
		time.sleep(0.5)
	raise SystemExit(f"timed out waiting for {what}")


def runs_finished() -> bool:
	return not frappe.db.count("Bulk Operation Tracker", {"finished_at": ("is", "not set")})


class Browser:
	def __init__(self, url: str):
		from playwright.sync_api import sync_playwright

		self.url = url.rstrip("/")
		self.playwright = sync_playwright().start()
		self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
		self.errors: list[str] = []

	def open(self, path: str, user: str, password: str, ready: str, width: int = 1400, height: int = 1000,
		style: str = "", script: str = ""):
		response = requests.post(f"{self.url}/api/method/login", data={"usr": user, "pwd": password}, timeout=60)
		response.raise_for_status()
		context = self.browser.new_context(viewport={"width": width, "height": height})
		page = context.new_page()
		if width > 1400:  # Desk's own "Toggle Full Width", so a wide report fits without scrolling
			page.add_init_script("localStorage.container_fullwidth = 'true'")
		page.set_default_timeout(STEP_MS)
		page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
		page.on("pageerror", lambda error: self.errors.append(str(error)))
		separator = "&" if "?" in path else "?"
		page.goto(f"{self.url}{path}{separator}sid={response.cookies['sid']}")
		page.locator(ready).first.wait_for()
		if style:
			page.add_style_tag(content=style)
		page.wait_for_timeout(1500)  # charts, tables and indicators finish drawing
		if script:
			page.evaluate(script)
			page.wait_for_timeout(300)
		return page

	def picture(self, page, name: str) -> None:
		page.screenshot(path=str(IMAGES / name), full_page=True)
		print(f"  docs/images/{name}")
		page.context.close()

	def close(self) -> None:
		self.browser.close()
		self.playwright.stop()


def take_pictures(site: str, url: str) -> None:
	from verenigingen.tests.blocking import hold_member_locks, requests_of_members, wait_until_processing
	from verenigingen.utils.account_creation_manager import queue_bulk_account_creation_for_members
	from verenigingen.utils.alert_manager import run_hourly_checks

	IMAGES.mkdir(parents=True, exist_ok=True)
	password = "Demo-" + secrets.token_urlsafe(12)
	secretary, scheduler_user = ensure_secretary(password), frappe.session.user  # bench scripts run as Administrator
	frappe.set_user(secretary)
	if frappe.db.exists("File", {"file_name": NEWER_EXPORT}):
		raise SystemExit("the day was already played on this site: run the quickstart on a new DEMO_SITE")
	wait_for(runs_finished, "the demo's runs")
	member = phoned_member()
	print(f"member {member}: IBAN typed as {type_phoned_iban(member)}")
	newer = import_newer_export()
	print(f"newer export imported: {newer}")
	frappe.db.commit()
	wait_for(runs_finished, "the newer export's mandate run")
	joined = members_without_login()
	browser = Browser(url)
	try:
		with hold_member_locks([joined[HELD_AT]]):
			run = queue_bulk_account_creation_for_members(joined)["tracker"]
			frappe.db.commit()  # the workers and the page see the run
			wait_until_processing(requests_of_members([joined[HELD_AT]]))
			frappe.set_user(scheduler_user)
			run_hourly_checks()  # as the scheduler does every hour
			frappe.db.commit()
			ready = f'.bulk-operations-monitor[data-loaded-at] [data-run="{run}"]'
			browser.picture(browser.open(MONITOR, secretary, password, ready), "bulk-operations-monitor.png")
			set_language(secretary, "nl")
			browser.picture(browser.open(MONITOR, secretary, password, ready), "bulk-operations-monitor-nl.png")
			set_language(secretary, "en")
		wait_for(runs_finished, f"run {run}")
		day = today()
		pictures = [
			# wide enough for the report's title and every column
			(f"{REPORT}?from_date={day}&to_date={day}", ".chart-wrapper svg", "performance-report.png",
				{"width": 1700, "height": 760, "script": FIT_COLUMNS}),
			# the row-error table scrolls at 400 px on screen; the picture shows all its rows (the preview,
			# 340 rows, stays in its scroll box)
			(f"/app/mijnrood-csv-import/{newer}", ".form-dashboard", "mijnrood-import.png",
				{"style": "[data-fieldname=errors_html] .table-responsive { max-height: none !important; }"}),
			(f"/app/direct-debit-batch/{frappe.db.get_value('Direct Debit Batch', {}, 'name')}",
				".form-layout", "direct-debit-batch.png", {}),
			("/monitoring_dashboard", "#monitoring-updated", "monitoring-dashboard.png", {}),
		]
		for path, ready, name, options in pictures:
			browser.picture(browser.open(path, secretary, password, ready, **options), name)
	finally:
		browser.close()
	if browser.errors:
		raise SystemExit("JavaScript errors in the browser console:\n" + "\n".join(browser.errors))


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--site", default="verenigingen-demo.localhost")
	parser.add_argument("--url", default="http://verenigingen-demo.localhost:8000")
	args = parser.parse_args()
	frappe.init(site=args.site)
	frappe.connect()
	try:
		take_pictures(args.site, args.url)
	finally:
		frappe.destroy()


if __name__ == "__main__":
	main()
