"""SEPA direct debit rules as plain values: IBANs, mandates, due members, batch totals, verdicts, pain.008.

Never imports frappe; the Frappe shell is ``verenigingen.sepa``.
"""
