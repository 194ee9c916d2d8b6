"""Demo data for trying the app and for its tests.

``mijnrood_export`` generates synthetic Mijnrood exports (every shape the import reads, with a
manifest of the verdict each row must get). Modules whose name starts with ``mijnrood_`` are pure
Python (stdlib and openpyxl): they never import frappe, so the site-free tests use them too.
"""
