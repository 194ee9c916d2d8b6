"""Log in to a test `frappe serve` as one user and call the site over HTTP, as a browser or script would."""

import json

import requests

from verenigingen.tests.factories import make_user
from verenigingen.tests.test_member_import_browser import WebServer

__all__ = ["ApiSession", "WebServer", "is_refusal", "make_user_with_password"]

TIMEOUT_S = 60


class ApiSession:
	"""One user's cookie session (or Guest when no user is given)."""

	def __init__(self, base_url: str, user: str | None = None, password: str | None = None):
		self.base_url, self.user, self.password = base_url, user, password
		self.http = requests.Session()
		if user:
			self.login()

	def login(self) -> None:
		response = self.http.post(
			f"{self.base_url}/api/method/login",
			data={"usr": self.user, "pwd": self.password},
			timeout=TIMEOUT_S,
		)
		if response.status_code != 200:
			raise AssertionError(
				f"{self.user} could not log in: {response.status_code} {response.text[:300]}"
			)

	def can_log_in(self, password: str) -> bool:
		"""Whether a fresh session logs in as this user with ``password``."""
		response = requests.post(
			f"{self.base_url}/api/method/login", data={"usr": self.user, "pwd": password}, timeout=TIMEOUT_S
		)
		return response.status_code == 200

	def call(self, method: str, args: dict | None = None) -> requests.Response:
		"""POST a whitelisted method with a JSON body (arguments keep their JSON types)."""
		return self.http.post(f"{self.base_url}/api/method/{method}", json=args or {}, timeout=TIMEOUT_S)

	def call_doc_method(self, doc: dict, method: str, args: dict | None = None) -> requests.Response:
		"""Run a whitelisted controller method on ``doc`` the way Desk does (run_doc_method)."""
		payload = {"docs": json.dumps(doc), "method": method, "args": json.dumps(args or {})}
		return self.call("run_doc_method", payload)

	def put_doc(self, doctype: str, name: str, values: dict) -> requests.Response:
		return self.http.put(f"{self.base_url}/api/resource/{doctype}/{name}", json=values, timeout=TIMEOUT_S)

	def get_doc(self, doctype: str, name: str) -> requests.Response:
		return self.http.get(f"{self.base_url}/api/resource/{doctype}/{name}", timeout=TIMEOUT_S)


def make_user_with_password(password: str, roles=(), user_type: str = "Website User"):
	"""A User (see factories.make_user) who can log in with ``password``."""
	from frappe.utils.password import update_password

	user = make_user(roles=roles, user_type=user_type)
	update_password(user.name, password)
	return user


def is_refusal(response: requests.Response) -> bool:
	"""A permission refusal: Frappe answers PermissionError (and Guest on a non-guest method) with 403."""
	return response.status_code == 403
