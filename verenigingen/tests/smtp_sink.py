"""A local SMTP server that keeps what it is sent, for tests of mail that Frappe sends at once."""

import email
import socketserver
import threading

from verenigingen.tests.factories import make_default_outgoing_email_account


class _Session(socketserver.StreamRequestHandler):
	"""Just enough SMTP for smtplib without TLS or login: EHLO, MAIL, RCPT, DATA, QUIT."""

	def reply(self, line: str) -> None:
		self.wfile.write(f"{line}\r\n".encode())

	def handle(self):
		self.reply("220 sink")
		recipients = []
		for raw in self.rfile:
			command = raw.decode(errors="replace").strip().upper()
			if command.startswith("RCPT"):
				recipients.append(raw.decode().split(":", 1)[1].strip(" <>\r\n").lower())
			if command == "DATA":
				self.reply("354 go on")
				self.server.messages.append((recipients, self.read_data()))
				recipients = []
				self.reply("250 kept")
			elif command == "QUIT":
				self.reply("221 bye")
				return
			else:
				self.reply("250 ok")

	def read_data(self) -> str:
		lines = []
		for raw in self.rfile:
			if raw in (b".\r\n", b".\n"):
				break
			lines.append(raw.decode(errors="replace"))
		return "".join(lines)


class SmtpSink(socketserver.ThreadingTCPServer):
	daemon_threads = True
	allow_reuse_address = True

	def __init__(self):
		super().__init__(("127.0.0.1", 0), _Session)
		self.messages: list[tuple[list[str], str]] = []
		threading.Thread(target=self.serve_forever, daemon=True).start()

	@property
	def port(self) -> int:
		return self.server_address[1]

	def to(self, recipient: str) -> list[str]:
		"""The decoded text of every message sent to ``recipient``."""
		return [_text(raw) for recipients, raw in self.messages if recipient.lower() in recipients]

	def stop(self) -> None:
		self.shutdown()
		self.server_close()


def _text(raw: str) -> str:
	message = email.message_from_string(raw)
	parts = message.walk() if message.is_multipart() else [message]
	return "\n".join(
		part.get_payload(decode=True).decode(errors="replace")
		for part in parts
		if part.get_content_maintype() == "text"
	)


def make_outgoing_account_for(sink: SmtpSink) -> str:
	"""The site's default outgoing Email Account, pointed at ``sink`` (caller commits)."""
	import frappe

	account = make_default_outgoing_email_account()
	frappe.db.set_value("Email Account", account, {"smtp_port": sink.port, "use_tls": 0, "use_ssl": 0})
	return account
