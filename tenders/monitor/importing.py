"""Importing a municipality's finance export (``import_spend``, the upload page; DESIGN §6).

The file is streamed and written in batches: it is read twice (first only to check that it is
UTF-8 and to count its lines, then to import), never held in memory. Each line is upserted by its
key (the invoice number when given, else a digest of its contents and its occurrence in the
file), so importing the same file again changes nothing; each bad line is rejected with its line
number and reason, and never stops the others."""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.geo import normalise_postcode
from marketplace.models import Municipality, Postcode, User
from suppliers.importing import ImportFileError
from suppliers.models import Firm
from suppliers.search.text import fold
from tenders.monitor.caching import monitor_changed
from tenders.monitor.models import (
    AMOUNT_MAX_DIGITS,
    DESCRIPTION_MAX_LENGTH,
    INVOICE_MAX_LENGTH,
    SUPPLIER_NAME_MAX_LENGTH,
    SpendLine,
)
from tenders.monitor.parsing import (
    KVK_RE,
    count_lines,
    parse_amount,
    parse_date,
)

COLUMNS = (
    "date",
    "supplier_kvk",
    "supplier_name",
    "supplier_postcode",
    "amount",
    "description",
    "invoice",
)
REQUIRED_COLUMNS = ("date", "amount")
SUPPLIER_COLUMNS = ("supplier_kvk", "supplier_name", "supplier_postcode")
BATCH_SIZE = 2000

NO_HEADER = _("%(path)s has no header row on line 1.")
UNKNOWN_COLUMNS = _("Unknown column(s) in the header: %(columns)s. Expected: %(expected)s.")
DUPLICATE_COLUMNS = _("Column(s) named twice in the header: %(columns)s.")
MISSING_COLUMNS = _("Required column(s) missing from the header: %(columns)s.")
NO_SUPPLIER_COLUMN = _(
    "The header needs at least one of supplier_kvk, supplier_name and supplier_postcode."
)
MALFORMED_RECORD = _("malformed CSV: %(error)s")
WRONG_COLUMN_COUNT = _("wrong number of columns: %(found)s instead of %(expected)s")
MISSING_DATE = _("missing date")
BAD_DATE = _("date must be YYYY-MM-DD or DD-MM-YYYY: %(value)s")
MISSING_AMOUNT = _("missing amount")
BAD_AMOUNT = _("amount is not a number in euros: %(value)s")
AMOUNT_TOO_LARGE = _("amount is too large: %(value)s")
NO_SUPPLIER = _("no supplier: give a KvK number, a name or a postcode")
BAD_KVK = _("KvK number must have exactly 8 digits: %(value)s")
BAD_POSTCODE = _("invalid postcode %(value)s")
TOO_LONG = _("%(column)s is longer than %(max)s characters")
DUPLICATE_INVOICE = _("duplicate invoice number %(invoice)s (first on line %(line)s)")

AMOUNT_LIMIT = Decimal(10) ** (AMOUNT_MAX_DIGITS - 2)


@dataclass(frozen=True)
class Rejection:
    line: int
    reason: str


@dataclass
class SpendReport:
    """What an import did, or in a dry run would have done."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    # Lines counted as "Onbekend": their supplier could not be placed.
    unplaced: list[dict[str, Any]] = field(default_factory=list)
    lines: int = 0
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The report in the shape of ``import_suppliers --json``, with what stayed the same and
        which lines could not be placed."""
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [{"line": r.line, "reason": str(r.reason)} for r in self.rejected],
            "unplaced": self.unplaced,
        }


@dataclass
class _Line:
    line: int
    booked_on: date
    amount: Decimal
    kvk: str
    name: str
    postcode: str
    description: str
    invoice: str


class SpendImport:
    """One import of one file for one municipality."""

    def __init__(
        self,
        municipality: Municipality,
        *,
        name: str,
        by: User | None = None,
        dry_run: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.municipality = municipality
        self.name = name
        self.by = by
        self.progress = progress
        self.report = SpendReport(dry_run=dry_run)
        self.postcodes = {
            code: (municipality_id, lat, lon)
            for code, municipality_id, lat, lon in Postcode.objects.values_list(
                "code", "municipality_id", "latitude", "longitude"
            )
        }
        self.invoices: dict[str, int] = {}
        self.occurrences: dict[str, int] = {}
        self.now = timezone.now()

    def run(self, stream: IO[bytes]) -> SpendReport:
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        first = text.readline()
        if not first.strip():
            raise ImportFileError(NO_HEADER % {"path": self.name})
        # Dutch systems write ";" where the rest of the world writes ",": the header decides.
        self.delimiter = ";" if first.count(";") > first.count(",") else ","
        reader = csv.reader(itertools.chain([first], text), delimiter=self.delimiter, strict=True)
        header = next(reader)
        self.columns = tuple(cell.strip().lower() for cell in header)
        self._check_columns()
        with transaction.atomic():
            batch: list[_Line] = []
            for line in self._lines(reader):
                batch.append(line)
                if len(batch) >= BATCH_SIZE:
                    self._write(batch)
                    batch = []
            self._write(batch)
            if self.report.dry_run:
                transaction.set_rollback(True)
            elif self.report.created or self.report.updated:
                monitor_changed()
        self.report.rejected.sort(key=lambda r: r.line)
        return self.report

    def _check_columns(self) -> None:
        unknown = [c for c in self.columns if c not in COLUMNS]
        if unknown:
            raise ImportFileError(
                UNKNOWN_COLUMNS % {"columns": _quoted(unknown), "expected": ";".join(COLUMNS)}
            )
        repeated = sorted({c for c in self.columns if self.columns.count(c) > 1})
        if repeated:
            raise ImportFileError(DUPLICATE_COLUMNS % {"columns": _quoted(repeated)})
        missing = [c for c in REQUIRED_COLUMNS if c not in self.columns]
        if missing:
            raise ImportFileError(MISSING_COLUMNS % {"columns": _quoted(missing)})
        if not any(c in self.columns for c in SUPPLIER_COLUMNS):
            raise ImportFileError(NO_SUPPLIER_COLUMN)

    def _lines(self, reader: Iterator[list[str]]) -> Iterator[_Line]:
        read = 0
        while True:
            # line_num counts the lines read so far; a quoted cell may span several of them.
            number = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                self._reject(number, MALFORMED_RECORD % {"error": error})
                continue
            read += 1
            if self.progress and read % 1000 == 0:
                self.progress(read)
            if not any(cell.strip() for cell in cells):
                continue
            self.report.lines += 1
            line = self._parse(number, cells)
            if line is not None:
                yield line
        if self.progress:
            self.progress(read)

    def _reject(self, line: int, reason: object) -> None:
        self.report.rejected.append(Rejection(line, str(reason)))

    def _parse(self, number: int, cells: list[str]) -> _Line | None:
        if len(cells) != len(self.columns):
            found, expected = len(cells), len(self.columns)
            self._reject(number, WRONG_COLUMN_COUNT % {"found": found, "expected": expected})
            return None
        row = {column: cell.strip() for column, cell in zip(self.columns, cells, strict=True)}
        problems: list[str] = []
        booked_on = amount = None
        if not row["date"]:
            problems.append(str(MISSING_DATE))
        elif (booked_on := parse_date(row["date"])) is None:
            problems.append(str(BAD_DATE % {"value": row["date"]}))
        if not row["amount"]:
            problems.append(str(MISSING_AMOUNT))
        elif (amount := parse_amount(row["amount"])) is None:
            problems.append(str(BAD_AMOUNT % {"value": row["amount"]}))
        elif abs(amount) >= AMOUNT_LIMIT:
            problems.append(str(AMOUNT_TOO_LARGE % {"value": row["amount"]}))
        kvk = row.get("supplier_kvk", "").replace(" ", "").replace(".", "")
        name = " ".join(row.get("supplier_name", "").split())
        postcode = row.get("supplier_postcode", "")
        if not (kvk or name or postcode):
            problems.append(str(NO_SUPPLIER))
        if kvk and not KVK_RE.match(kvk):
            problems.append(str(BAD_KVK % {"value": row["supplier_kvk"]}))
        if postcode:
            normalised = normalise_postcode(postcode)
            if normalised is None:
                problems.append(str(BAD_POSTCODE % {"value": postcode}))
            postcode = normalised or postcode
        for column, value, limit in (
            ("supplier_name", name, SUPPLIER_NAME_MAX_LENGTH),
            ("description", row.get("description", ""), DESCRIPTION_MAX_LENGTH),
            ("invoice", row.get("invoice", ""), INVOICE_MAX_LENGTH),
        ):
            if len(value) > limit:
                problems.append(str(TOO_LONG % {"column": column, "max": limit}))
        invoice = row.get("invoice", "")
        if invoice and not problems:
            first = self.invoices.setdefault(invoice, number)
            if first != number:
                problems.append(str(DUPLICATE_INVOICE % {"invoice": invoice, "line": first}))
        if problems:
            self._reject(number, "; ".join(problems))
            return None
        return _Line(
            number, booked_on, amount, kvk, name, postcode, row.get("description", ""), invoice
        )

    def _key(self, line: _Line) -> str:
        if line.invoice:
            return f"inv:{line.invoice}"
        contents = "|".join(
            (
                line.booked_on.isoformat(),
                line.kvk,
                fold(line.name),
                line.postcode,
                str(line.amount),
                line.description,
            )
        )
        digest = hashlib.sha256(contents.encode()).hexdigest()[:32]
        occurrence = self.occurrences.get(digest, 0) + 1
        self.occurrences[digest] = occurrence
        return f"sha:{digest}:{occurrence}"

    def _write(self, batch: list[_Line]) -> None:
        if not batch:
            return
        firms = {
            kvk: (pk, municipality_id, lat, lon)
            for pk, kvk, municipality_id, lat, lon in Firm.objects.filter(
                kvk_number__in={line.kvk for line in batch if line.kvk}
            ).values_list("pk", "kvk_number", "municipality_id", "latitude", "longitude")
        }
        rows = {}
        for line in batch:
            row = self._row(line, firms)
            rows[row.line_key] = (line, row)
        existing = {
            spend.line_key: spend
            for spend in SpendLine.objects.filter(
                municipality=self.municipality, line_key__in=list(rows)
            )
        }
        new, changed = [], []
        for key, (line, row) in rows.items():
            old = existing.get(key)
            if old is None:
                new.append(row)
                self.report.created += 1
            elif any(getattr(old, f) != getattr(row, f) for f in COMPARED_FIELDS):
                for name in COMPARED_FIELDS:
                    setattr(old, name, getattr(row, name))
                old.imported_at, old.imported_by, old.source_name = self.now, self.by, self.name
                changed.append(old)
                self.report.updated += 1
            else:
                self.report.unchanged += 1
            if row.supplier_municipality_id is None:
                self.report.unplaced.append(
                    {"line": line.line, "supplier": line.name or line.kvk or line.postcode}
                )
        SpendLine.objects.bulk_create(new, batch_size=1000)
        if changed:
            SpendLine.objects.bulk_update(
                changed, [*COMPARED_FIELDS, "imported_at", "imported_by", "source_name"], 1000
            )

    def _row(self, line: _Line, firms: dict[str, tuple]) -> SpendLine:
        firm_id = place = None
        if line.kvk in firms:
            firm_id, *place = firms[line.kvk]
        elif line.postcode[:4] in self.postcodes:
            place = self.postcodes[line.postcode[:4]]
        municipality_id, lat, lon = place or (None, None, None)
        if line.kvk:
            supplier_key = f"kvk:{line.kvk}"
        elif line.name:
            supplier_key = f"name:{fold(line.name)}"[:220]
        else:
            supplier_key = f"postcode:{line.postcode}"
        return SpendLine(
            municipality=self.municipality,
            line_key=self._key(line),
            booked_on=line.booked_on,
            year=line.booked_on.year,
            amount=line.amount,
            description=line.description,
            invoice=line.invoice,
            supplier_kvk=line.kvk,
            supplier_name=line.name,
            supplier_postcode=line.postcode[:7],
            supplier_key=supplier_key,
            firm_id=firm_id,
            supplier_municipality_id=municipality_id,
            latitude=lat,
            longitude=lon,
            source_name=self.name[:200],
            imported_at=self.now,
            imported_by=self.by,
        )


COMPARED_FIELDS = (
    "booked_on",
    "year",
    "amount",
    "description",
    "invoice",
    "supplier_kvk",
    "supplier_name",
    "supplier_postcode",
    "supplier_key",
    "firm_id",
    "supplier_municipality_id",
    "latitude",
    "longitude",
)


def _quoted(names: list[str]) -> str:
    return ", ".join(f"“{name}”" for name in names)


def spend_import(
    *,
    municipality: Municipality,
    stream: IO[bytes],
    name: str,
    by: User | None = None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> SpendReport:
    """Import a finance export from a binary stream that can seek (a file, an upload); raises
    ImportFileError when the file cannot be read at all."""
    count_lines(stream, name)
    stream.seek(0)
    run = SpendImport(municipality, name=name, by=by, dry_run=dry_run, progress=progress)
    return run.run(stream)
