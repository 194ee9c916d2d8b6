"""The report's bulk actions, on the findings computed again here (never on member names a client sends)."""

from verenigingen.core.reconciliation import CREATE_ACCOUNT, QUEUE_MANDATE, members_to_fix
from verenigingen.reconciliation.findings import reconcile_site
from verenigingen.sepa.mandate_run import queue_mandate_run
from verenigingen.utils.account_creation_manager import queue_bulk_account_creation_for_members


def create_missing_accounts(import_name: str | None = None, kind: str | None = None) -> dict:
	"""Queue a bulk account run for the members the findings say can get a login now."""
	names = members_to_fix(reconcile_site(import_name, kind).findings, CREATE_ACCOUNT)
	if not names:
		return {"tracker": None, "requested": 0, "queued": 0, "refused": 0, "batches": 0, "errors": {}}
	return queue_bulk_account_creation_for_members(names)


def queue_missing_mandates(import_name: str | None = None, kind: str | None = None) -> dict:
	"""Queue a mandate run for the Active members with a valid IBAN, a contribution and no mandate."""
	names = members_to_fix(reconcile_site(import_name, kind).findings, QUEUE_MANDATE)
	if not names:
		return {"tracker": None, "queued": 0, "batches": 0}
	return queue_mandate_run(names)
