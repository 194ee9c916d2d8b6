"""Messages keep their template for translation; the file error carries one readable message."""

import pickle

import pytest

from verenigingen.core.mijnrood.errors import InvalidValue, Message, MijnroodFileError


def test_message_formats_and_keeps_template():
	"""A Message reads as text and keeps template and arguments for ``_()``."""
	message = Message("{0} is empty", "Voornaam")
	assert message == "Voornaam is empty"
	assert (message.template, message.args) == ("{0} is empty", ("Voornaam",))


def test_message_survives_pickling():
	"""Job queues pickle results; the template must survive."""
	message = pickle.loads(pickle.dumps(Message("row {0}", 3)))
	assert message == "row 3" and message.template == "row {0}" and message.args == (3,)


def test_invalid_value_is_a_value_error_with_message():
	"""InvalidValue carries a Message and is a ValueError."""
	with pytest.raises(ValueError) as caught:
		raise InvalidValue("'{0}' is bad", "x")
	assert caught.value.message == "'x' is bad"


def test_file_error_message_is_its_text():
	"""str() of the exception is the human-readable message."""
	error = MijnroodFileError("{0} is empty", "leden.csv")
	assert str(error) == error.message == "leden.csv is empty"
	assert error.message.template == "{0} is empty"
