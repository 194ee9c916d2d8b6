"""Frappe's realtime server (`node apps/frappe/socketio.js`) for browser tests, so pages get live events.

The browser reaches it at ``<site>:<socketio_port>`` when the web server runs with DEV_SERVER=1;
it authenticates each socket by calling the site back, so node must resolve ``*.localhost`` like
the browser does (localhost_dns.js).
"""

import os
import socket
import subprocess
import time

import frappe
from frappe.utils import get_bench_path

DNS_PRELOAD = os.path.join(os.path.dirname(__file__), "localhost_dns.js")
START_TIMEOUT_S = 30


def socketio_port() -> int:
	return int(frappe.get_conf().socketio_port or 9000)


def port_open(port: int) -> bool:
	with socket.socket() as sock:
		return sock.connect_ex(("127.0.0.1", port)) == 0


class SocketIOServer:
	"""Start and stop one realtime server process; refuses to start when its port is taken."""

	def __init__(self):
		self.port, self.process = socketio_port(), None

	def start(self) -> "SocketIOServer":
		if port_open(self.port):
			raise AssertionError(f"port {self.port} is taken: another socketio server runs on this bench")
		bench = get_bench_path()
		log = open(os.path.join(bench, "logs", "verenigingen-test-socketio.log"), "ab")  # noqa: SIM115
		self.process = subprocess.Popen(["node", "-r", DNS_PRELOAD, "apps/frappe/socketio.js"], cwd=bench,
			stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
		deadline = time.monotonic() + START_TIMEOUT_S
		while time.monotonic() < deadline:
			if port_open(self.port):
				return self
			if self.process.poll() is not None:
				break
			time.sleep(0.2)
		self.stop()
		raise AssertionError("the socketio server did not start; see logs/verenigingen-test-socketio.log")

	def stop(self) -> None:
		if self.process:
			os.killpg(self.process.pid, 15)
			self.process.wait(timeout=30)
			self.process = None
