"""Failures the pipeline raises on purpose, with their retry class."""

import frappe


class PermanentFailure(frappe.ValidationError):
	"""A refusal a human must look at (never retried by itself)."""


class TransientFailure(Exception):
	"""A failure worth retrying later (used by tests to inject one)."""


class WorkerRace(TransientFailure):
	"""Two workers collided on a name at the same moment; a fresh transaction resolves it."""


class ClaimLost(Exception):
	"""Recovery gave the request to another job while this one still worked on it: its work is dropped."""
