"""The row-by-row import: each good row through ``firm_upsert`` in its own transaction.

Slow (a few dozen rows per second: a transaction, an index update and audit events per row),
but the plainest statement of what an import does. It is the reference the batch import is
tested and benchmarked against, and what a failed batch falls back to, to name each bad row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import nullcontext

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from suppliers.importing.rows import (
    DATABASE_ERROR,
    ImportReport,
    Record,
    ReferenceCodes,
    Rejection,
    SeenKvkNumbers,
    firm_data_from_record,
    validation_reason,
)
from suppliers.services import FirmData, firm_upsert


def import_row_by_row(
    columns: Sequence[str], records: Iterable[Record], *, dry_run: bool = False
) -> ImportReport:
    """Upsert each good record in its own transaction; a dry run rolls everything back."""
    report = ImportReport()
    references = ReferenceCodes.load()
    seen = SeenKvkNumbers()
    with transaction.atomic() if dry_run else nullcontext():
        for record in records:
            if record.blank:
                continue
            data, problems = firm_data_from_record(record, columns, references, seen)
            if data is None or problems:
                report.rejected.append(Rejection(record.line, "; ".join(problems)))
                continue
            upsert_one(record.line, data, report)
        if dry_run:
            # Nothing is written, and on_commit work (search indexing) is dropped with it.
            transaction.set_rollback(True)
    return report


def upsert_one(line: int, data: FirmData, report: ImportReport) -> None:
    """One checked row through ``firm_upsert``, counted in the report or rejected."""
    try:
        with transaction.atomic():
            _firm, created = firm_upsert(data=data)
    except ValidationError as error:
        report.rejected.append(Rejection(line, validation_reason(error)))
    except DatabaseError as error:
        report.rejected.append(Rejection(line, DATABASE_ERROR % {"error": error}))
    else:
        if created:
            report.created += 1
        else:
            report.updated += 1
