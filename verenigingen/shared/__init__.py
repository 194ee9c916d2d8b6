"""Frappe-side helpers that more than one feature package uses.

Modules here import frappe, rq and ``verenigingen.core`` only, never a feature package
(account_creation, sepa, member_import, monitoring): feature packages import them, so no feature
has to reach into another's internals (tests/test_layers.py).
"""
