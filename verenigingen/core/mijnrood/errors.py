"""User-facing messages and the one exception a rejected file raises."""


class Message(str):
	"""A sentence for the user that keeps its ``{0}`` template and arguments for translation."""

	template: str
	args: tuple

	def __new__(cls, template: str, *args: object) -> "Message":
		text = super().__new__(cls, template.format(*args))
		text.template = template
		text.args = args
		return text

	def __reduce__(self):
		# pickling (Frappe's job queue) must rebuild from the template, not the formatted text
		return (Message, (self.template, *self.args))


class InvalidValue(ValueError):
	"""One cell value that cannot be normalised; ``message`` says why."""

	def __init__(self, template: str, *args: object) -> None:
		self.message = Message(template, *args)
		super().__init__(self.message)


class MijnroodFileError(Exception):
	"""The whole upload is unusable; nothing from it may be imported."""

	def __init__(self, template: str, *args: object) -> None:
		self.message = Message(template, *args)
		super().__init__(self.message)
