"""Importing firms from a CSV file (DESIGN §6): read as a stream, checked row by row, written in
batches. ``reading.py`` reads the file, ``rows.py`` checks a row, ``batches.py`` writes batches;
``row_by_row.py`` is the plain reference the batch import is held to."""

from suppliers.importing.batches import BATCH_SIZE, ImportInterrupted, import_in_batches
from suppliers.importing.reading import (
    CANNOT_OPEN,
    LINE_LIMIT,
    NOT_UTF8,
    ImportFileError,
    SupplierFile,
    parse_supplier_csv,
    read_supplier_file,
)
from suppliers.importing.row_by_row import import_row_by_row
from suppliers.importing.rows import COLUMNS, ImportReport, Record, Rejection

import_records = import_in_batches

__all__ = [
    "BATCH_SIZE",
    "CANNOT_OPEN",
    "NOT_UTF8",
    "COLUMNS",
    "LINE_LIMIT",
    "ImportFileError",
    "ImportInterrupted",
    "ImportReport",
    "Record",
    "Rejection",
    "SupplierFile",
    "import_in_batches",
    "import_records",
    "import_row_by_row",
    "parse_supplier_csv",
    "read_supplier_file",
]
