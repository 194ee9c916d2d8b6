"""SEPA direct debit: the Frappe shell around ``verenigingen.core.sepa``.

    audit          the SEPA Audit Log's only writer (record_event) and its retention
    mandate_rules  SEPA Mandate validation (reference, IBAN, BIC, masked IBAN)
    mandates       create or amend one member's mandate, audited
    mandate_run    mandates for thousands of members: a Bulk Operation Tracker run on `bulk`
    collections    Direct Debit Batch: due members, preview, pain.008 file, submission, outcomes
    batch_status   Direct Debit Batch validation
    permissions    row-level rules: a member sees only their own mandate

Public entry points live in ``verenigingen.utils.sepa_*``.
"""

AUDIT_LOG = "SEPA Audit Log"
MANDATE = "SEPA Mandate"
BATCH = "Direct Debit Batch"
BATCH_ENTRY = "Direct Debit Batch Entry"

MANDATE_CREATION = "Mandate Creation"
BATCH_GENERATION = "Batch Generation"
BANK_SUBMISSION = "Bank Submission"
PAYMENT_PROCESSING = "Payment Processing"
LOG_MAINTENANCE = "Log Maintenance"
PROCESS_TYPES = (MANDATE_CREATION, BATCH_GENERATION, BANK_SUBMISSION, PAYMENT_PROCESSING, LOG_MAINTENANCE)
