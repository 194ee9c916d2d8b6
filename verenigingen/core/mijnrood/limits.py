"""Limits that keep a hostile or absurd upload from exhausting the worker."""

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 1000

MAX_ZIP_ENTRIES = 1000
MAX_ZIP_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRY_BYTES = 100 * 1024 * 1024
MAX_ZIP_COMPRESSION_RATIO = 200
# small entries may compress extremely well (a column of "\N") without being a bomb
ZIP_RATIO_CHECK_FROM_BYTES = 1024 * 1024

EARLIEST_BIRTH_DATE = "1900-01-01"
