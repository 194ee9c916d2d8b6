"""Pure logic of the app: no frappe import anywhere below this package.

Everything here takes plain values (and the current time as an argument) so it can be
tested without a site. ``tests/test_core_is_site_free.py`` enforces the rule.
"""
