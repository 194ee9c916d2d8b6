"""Refuse and record every network request to a non-local host from this Python process.

Put this folder on ``PYTHONPATH`` and set ``VERENIGINGEN_NETWORK_GUARD_LOG`` to a file:
Python imports ``sitecustomize`` at start-up, which installs an audit hook (PEP 578). A DNS
look-up of a non-local name, or a connect to a non-loopback address, raises ``OSError`` and
appends one JSON line (pid, site, event, host, the calling frames) to that file. Forked RQ work
horses inherit the hook. The integration tests run real ``bench worker`` processes with it.
"""

import ipaddress
import json
import os
import socket
import sys
import traceback

LOG = os.environ.get("VERENIGINGEN_NETWORK_GUARD_LOG")
NAME_EVENTS = ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr")


def _local_names() -> set[str]:
	names = {"", "localhost", "localhost.localdomain"}
	try:
		names.add(socket.gethostname().lower())
	except OSError:
		pass
	return names


LOCAL_NAMES = _local_names()


def is_local(host) -> bool:
	if host is None:
		return True
	if isinstance(host, bytes):
		host = host.decode(errors="replace")
	host = str(host).strip("[]").lower()
	if host in LOCAL_NAMES or host.endswith(".localhost"):
		return True
	try:
		address = ipaddress.ip_address(host.split("%")[0])
	except ValueError:
		return False
	return address.is_loopback or address.is_unspecified


def outbound_host(event: str, args):
	"""The non-local host an event reaches for, or None."""
	if event == "socket.connect":
		address = args[1]
		host = address[0] if isinstance(address, tuple) else None  # a str address is a unix socket
	elif event in NAME_EVENTS:
		host = args[0]
	else:
		return None
	return None if is_local(host) else str(host)


def guard(event: str, args) -> None:
	if not event.startswith("socket."):
		return
	host = outbound_host(event, args)
	if host is None:
		return
	# The frames of Frappe and its apps say who asked; library frames below them only how.
	frames = [f"{f.filename}:{f.lineno} {f.name}" for f in traceback.extract_stack()[:-2]
		if "/apps/" in f.filename or "/work/" in f.filename][-12:]
	with open(LOG, "a", encoding="utf-8") as log:
		record = {"pid": os.getpid(), "site": _current_site(), "event": event, "host": host, "stack": frames}
		log.write(json.dumps(record) + "\n")
	raise OSError(f"network guard: {event} to {host} refused")


def _current_site():
	"""The Frappe site the process works for (workers serve every site of the bench), if any."""
	frappe = sys.modules.get("frappe")
	try:
		return frappe.local.site if frappe else None
	except AttributeError:
		return None


if LOG:
	sys.addaudithook(guard)
