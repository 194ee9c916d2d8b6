"""Reconciliation of the latest Mijnrood export with the site: the Frappe shell around ``core.reconciliation``.

    export   the newest completed Mijnrood CSV Import and its file, parsed once and cached
    site     Members, their Users, member-role Users, Active mandates, open requests: one query each
    findings the chosen (or newest completed) import against the site, optionally one kind only
    fixes    the report's bulk actions, on the findings computed again on the server

Public entry points: ``verenigingen.utils.reconciliation`` and the Mijnrood Reconciliation report.
"""

REPORT = "Mijnrood Reconciliation"
