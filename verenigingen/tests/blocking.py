"""Make a worker stop at a known point by construction: hold a row lock it needs.

A request's account transaction starts by locking its Member row (``SELECT ... FOR UPDATE``,
pipeline.validate). While a second database connection holds that row ``FOR UPDATE``, the claimed
request waits there, before it has written anything (up to MariaDB's ``innodb_lock_wait_timeout``,
50 s by default), so it holds no lock another worker's request could need; the rest of its batch
stays Queued. A test can then kill workers, flush Redis or restart the
database mid-batch whatever the machine's speed.
"""

import time
from contextlib import contextmanager

import frappe
import pymysql

from verenigingen.account_creation import REQUEST


def connect_as_site():
	"""A connection of its own, with the site's database credentials."""
	conf = frappe.conf
	return pymysql.connect(
		host=conf.db_host or "127.0.0.1", port=int(conf.db_port or 3306), user=conf.db_user or conf.db_name,
		password=conf.db_password, database=conf.db_name, autocommit=False,
	)


@contextmanager
def hold_member_locks(member_names: list[str]):
	"""Hold the Member rows locked until the block ends (rollback releases them)."""
	connection = connect_as_site()
	try:
		with connection.cursor() as cursor:
			for name in member_names:
				cursor.execute("select name from `tabMember` where name = %s for update", (name,))
		yield
	finally:
		connection.rollback()
		connection.close()


def wait_until_processing(request_names: list[str], timeout: float = 120) -> None:
	"""Wait until every request is claimed (Processing): its worker is now held at the lock."""
	deadline = time.monotonic() + timeout
	while time.monotonic() < deadline:
		frappe.db.rollback()  # see the workers' commits
		statuses = frappe.get_all(REQUEST, filters={"name": ("in", request_names)}, pluck="status")
		if statuses and all(status == "Processing" for status in statuses):
			return
		time.sleep(0.1)
	raise AssertionError(f"{request_names} were not all claimed in {timeout}s")


def requests_of_members(member_names: list[str]) -> list[str]:
	return frappe.get_all(REQUEST, filters={"member": ("in", member_names)}, pluck="name")


def wait_for_statement(prefix: str, timeout: float = 120) -> None:
	"""Wait until another connection of the site runs a statement starting with ``prefix``."""
	deadline = time.monotonic() + timeout
	while time.monotonic() < deadline:
		running = frappe.db.sql(
			"""select count(*) from information_schema.processlist
			where id != connection_id() and lower(info) like %(prefix)s""",
			{"prefix": prefix.lower() + "%"},
		)[0][0]
		if running:
			return
		time.sleep(0.05)
	raise AssertionError(f"no statement {prefix!r} ran in {timeout}s")
