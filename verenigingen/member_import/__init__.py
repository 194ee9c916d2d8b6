"""Mijnrood import: the Frappe shell around ``verenigingen.core.mijnrood`` and ``core.import_plan``.

Public entry points live in ``verenigingen.utils.mijnrood_import`` (form buttons, job entry
points) and in the ``import-mijnrood`` bench command. The flow:

    source      read the attached File safely and parse it (whole-file refusal writes nothing)
    stored      load the Members and Chapters the file refers to, in a few queries
    chapters    map groups to Chapters, creating missing ones when the settings allow
    writer      write one chunk of planned rows, one savepoint per row
    validation  job body of "Validate": plan and preview, writes nothing else
    importer    job body of "Start Import": chunks with a commit each, resumable
    accounts    hand eligible members to the bulk account creation
"""

DOCTYPE = "Mijnrood CSV Import"
QUEUE = "long"
PROGRESS_EVENT = "verenigingen_import_progress"
VALIDATE_JOB = "verenigingen.utils.mijnrood_import.process_validation"
IMPORT_JOB = "verenigingen.utils.mijnrood_import.process_import"
JOB_TIMEOUT_SECONDS = 3600

COUNT_FIELDS = (
	"total_rows",
	"valid_rows",
	"error_count",
	"skipped_count",
	"created_count",
	"updated_count",
	"unchanged_count",
)
# written only by the jobs; cleared when another file is attached
RESET_FIELDS = (
	"status",
	"file_format",
	"failure_message",
	*COUNT_FIELDS,
	"rows_done",
	"started_at",
	"progress_at",
	"eta",
	"finished_at",
	"bulk_operation_tracker",
	"accounts_queued",
	"preview_data",
	"import_failures",
)
RESULT_FIELDS = (*RESET_FIELDS, "import_run")
INT_FIELDS = frozenset({*COUNT_FIELDS, "rows_done", "accounts_queued"})


def reset_values() -> dict:
	"""The results of a fresh start: counts zero, everything else empty."""
	return {field: 0 if field in INT_FIELDS else None for field in RESET_FIELDS}
