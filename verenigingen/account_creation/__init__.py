"""Member accounts: requests, the per-request pipeline, bulk batches on the `bulk` queue, retries.

Public entry points live in ``verenigingen.utils.account_creation_manager`` and
``verenigingen.utils.bulk_retry_processor``; this package is the Frappe shell around
``verenigingen.core`` (retry policy, failure classes, role grants, progress).
"""

REQUEST = "Account Creation Request"
TRACKER = "Bulk Operation Tracker"
BATCH = "Bulk Operation Batch"  # a batch of a run over plain items (item_runs.py)
BULK_QUEUE = "bulk"
INDIVIDUAL_QUEUE = "short"

OPEN_STATUSES = ("Requested", "Queued", "Processing")
