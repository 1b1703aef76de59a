"""Importing firms from a CSV file: reading it, checking each row, upserting the good ones."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import DatabaseError, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from marketplace.geo import normalise_postcode
from marketplace.models import CpvCode, Municipality, Organisation, Postcode
from suppliers.models import Firm
from suppliers.services import FirmData, firm_data_of, firm_upsert

COLUMNS = (
    "kvk_number",
    "name",
    "description",
    "postcode",
    "municipality_code",
    "cpv_codes",
    "email",
    "website",
    "employees",
)
REQUIRED_COLUMNS = ("kvk_number", "name")
KVK_RE = re.compile(r"[0-9]{8}")
# The check digit, if any, is not checked: firm_upsert ignores it too.
CPV_RE = re.compile(r"([0-9]{8})(?:-[0-9])?")
# CPV codes hold only digits and a dash, so any of these can separate them unambiguously; a
# semicolon file cannot use an unquoted ";" inside a cell.
CPV_SEPARATORS_RE = re.compile(r"[;,\s]+")
WHOLE_NUMBER_RE = re.compile(r"[0-9]+")
NAME_MAX_LENGTH = Organisation._meta.get_field("name").max_length
validate_website = URLValidator(schemes=["http", "https"])

CANNOT_OPEN = _("Cannot open %(path)s: %(error)s.")
NOT_UTF8 = _("%(path)s is not UTF-8 (line %(line)s); save it as “CSV UTF-8”.")
NO_HEADER = _("%(path)s has no header row on line 1.")
BAD_HEADER = _("The header row of %(path)s cannot be read: %(error)s.")
UNKNOWN_COLUMNS = _(
    "Unknown column(s) in the header: %(columns)s. Expected %(expected)s, "
    "separated by commas or semicolons."
)
DUPLICATE_COLUMNS = _("Column(s) named twice in the header: %(columns)s.")
MISSING_COLUMNS = _("Required column(s) missing from the header: %(columns)s.")

MALFORMED_RECORD = _("malformed CSV: %(error)s")
WRONG_COLUMN_COUNT = _("wrong number of columns: %(found)s instead of %(expected)s")
MISSING_KVK = _("missing KvK number")
BAD_KVK = _("KvK number must have exactly 8 digits: %(value)s")
DUPLICATE_KVK = _("duplicate KvK number %(kvk)s (first on line %(line)s)")
MISSING_NAME = _("missing name")
NAME_TOO_LONG = _("name is longer than %(max)s characters")
BAD_POSTCODE = _("invalid postcode %(value)s")
UNKNOWN_MUNICIPALITY = _("unknown municipality code %(value)s")
NO_LOCATION = _("missing postcode and municipality code")
UNKNOWN_POSTCODE = _("unknown postcode %(value)s and no municipality code")
BAD_CPV = ngettext_lazy("invalid CPV code %(codes)s", "invalid CPV codes %(codes)s", "count")
UNKNOWN_CPV = ngettext_lazy("unknown CPV code %(codes)s", "unknown CPV codes %(codes)s", "count")
BAD_EMAIL = _("invalid e-mail address %(value)s")
BAD_WEBSITE = _("invalid website %(value)s")
BAD_EMPLOYEES = _("employees must be a whole number of 0 or more: %(value)s")
DATABASE_ERROR = _("database error: %(error)s")


class ImportFileError(Exception):
    """The file cannot be read at all: missing, not UTF-8, or without a usable header."""


@dataclass(frozen=True)
class Record:
    """One CSV record: the physical line it starts on, and its cells or why it is unreadable."""

    line: int
    cells: tuple[str, ...] = ()
    error: str = ""


@dataclass(frozen=True)
class SupplierFile:
    """A readable import file: its columns in file order and its records."""

    columns: tuple[str, ...]
    records: list[Record]


@dataclass(frozen=True)
class Rejection:
    """A row that was not imported, with its line in the file and the reason."""

    line: int
    reason: str


@dataclass
class ImportReport:
    """What an import did, or in a dry run would have done."""

    created: int = 0
    updated: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The report in the shape of ``import_suppliers --json``."""
        return {
            "created": self.created,
            "updated": self.updated,
            "rejected": [{"line": r.line, "reason": r.reason} for r in self.rejected],
        }


@dataclass(frozen=True)
class ReferenceCodes:
    """The codes rows are checked against, loaded once per import."""

    municipalities: dict[str, Municipality]
    postcodes: frozenset[str]
    cpv_codes: frozenset[str]

    @classmethod
    def load(cls) -> ReferenceCodes:
        """Load municipalities, postcode areas and CPV codes from the database."""
        return cls(
            municipalities=Municipality.objects.in_bulk(),
            postcodes=frozenset(Postcode.objects.values_list("code", flat=True)),
            cpv_codes=frozenset(CpvCode.objects.values_list("code", flat=True)),
        )


def read_supplier_file(path: Path) -> SupplierFile:
    """Read an import file: UTF-8 with or without BOM; raises ImportFileError when unreadable."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportFileError(CANNOT_OPEN % {"path": path, "error": error.strerror}) from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportFileError(NOT_UTF8 % {"path": path, "line": line}) from error
    return parse_supplier_csv(unicodedata.normalize("NFC", text), name=str(path))


def parse_supplier_csv(text: str, *, name: str = "the file") -> SupplierFile:
    """Split CSV text into records, each with the physical line it starts on."""
    lines = text.splitlines()
    header_line = lines[0] if lines else ""
    if not header_line.strip():
        raise ImportFileError(NO_HEADER % {"path": name})
    # Dutch Excel writes ";" where the rest of the world writes ",": the header decides.
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except csv.Error as error:
        raise ImportFileError(BAD_HEADER % {"path": name, "error": error}) from error
    columns = tuple(cell.strip().lower() for cell in header)
    _check_columns(columns)

    records = []
    while True:
        # line_num counts the lines read so far; a quoted cell may span several of them.
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            records.append(Record(line, error=MALFORMED_RECORD % {"error": error}))
            continue
        if any(cell.strip() for cell in cells):
            records.append(Record(line, tuple(cells)))
    return SupplierFile(columns, records)


def _check_columns(columns: Sequence[str]) -> None:
    """Refuse a header with unknown, repeated or missing required columns."""
    unknown = [column for column in columns if column not in COLUMNS]
    if unknown:
        raise ImportFileError(
            UNKNOWN_COLUMNS % {"columns": _quoted(unknown), "expected": ", ".join(COLUMNS)}
        )
    repeated = sorted({column for column in columns if columns.count(column) > 1})
    if repeated:
        raise ImportFileError(DUPLICATE_COLUMNS % {"columns": _quoted(repeated)})
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise ImportFileError(MISSING_COLUMNS % {"columns": _quoted(missing)})


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f"“{name}”" for name in names)


def import_records(
    columns: Sequence[str], records: Iterable[Record], *, dry_run: bool = False
) -> ImportReport:
    """Upsert each good record in its own transaction; a dry run rolls everything back."""
    report = ImportReport()
    references = ReferenceCodes.load()
    first_lines: dict[str, int] = {}
    with transaction.atomic() if dry_run else nullcontext():
        for record in records:
            data, problems = _firm_data_from_record(record, columns, references, first_lines)
            if data is None or problems:
                report.rejected.append(Rejection(record.line, "; ".join(problems)))
                continue
            try:
                with transaction.atomic():
                    _firm, created = firm_upsert(data=data)
            except ValidationError as error:
                report.rejected.append(Rejection(record.line, _validation_reason(error)))
            except DatabaseError as error:
                reason = DATABASE_ERROR % {"error": error}
                report.rejected.append(Rejection(record.line, reason))
            else:
                if created:
                    report.created += 1
                else:
                    report.updated += 1
        if dry_run:
            # Nothing is written, and on_commit work (search indexing) is dropped with it.
            transaction.set_rollback(True)
    return report


def _firm_data_from_record(
    record: Record,
    columns: Sequence[str],
    references: ReferenceCodes,
    first_lines: dict[str, int],
) -> tuple[FirmData | None, list[str]]:
    """The firm a record describes, and what is wrong with it (an empty list when nothing)."""
    if record.error:
        return None, [record.error]
    if len(record.cells) != len(columns):
        found, expected = len(record.cells), len(columns)
        return None, [WRONG_COLUMN_COUNT % {"found": found, "expected": expected}]
    values = {column: cell.strip() for column, cell in zip(columns, record.cells, strict=True)}
    problems: list[str] = []

    kvk = values["kvk_number"]
    existing = None
    if not kvk:
        problems.append(str(MISSING_KVK))
    elif not KVK_RE.fullmatch(kvk):
        problems.append(BAD_KVK % {"value": kvk})
    elif kvk in first_lines:
        problems.append(DUPLICATE_KVK % {"kvk": kvk, "line": first_lines[kvk]})
    else:
        first_lines[kvk] = record.line
        existing = (
            Firm.objects.select_related("organisation", "municipality")
            .prefetch_related("cpv_codes", "sbi_codes", "certifications")
            .filter(kvk_number=kvk)
            .first()
        )
    # Columns the file lacks keep the firm's current values; firm_upsert replaces every field.
    data = firm_data_of(existing) if existing else FirmData(kvk_number=kvk, name="")

    data.name = values["name"]
    if not data.name:
        problems.append(str(MISSING_NAME))
    elif len(data.name) > NAME_MAX_LENGTH:
        problems.append(NAME_TOO_LONG % {"max": NAME_MAX_LENGTH})
    if "description" in values:
        data.description = values["description"]
    if "postcode" in values or "municipality_code" in values:
        problems += _apply_location(data, values, references)
    if "cpv_codes" in values:
        problems += _apply_cpv_codes(data, values["cpv_codes"], references)
    if "email" in values:
        data.email = values["email"]
        if data.email and not _is_valid(validate_email, data.email):
            problems.append(BAD_EMAIL % {"value": data.email})
    if "website" in values:
        website = values["website"]
        if website and "://" not in website:
            website = f"https://{website}"
        data.website = website
        if website and not _is_valid(validate_website, website):
            problems.append(BAD_WEBSITE % {"value": values["website"]})
    if "employees" in values:
        employees = values["employees"]
        data.employees = int(employees) if WHOLE_NUMBER_RE.fullmatch(employees) else None
        if employees and data.employees is None:
            problems.append(BAD_EMPLOYEES % {"value": employees})
    return data, problems


def _apply_location(
    data: FirmData, values: dict[str, str], references: ReferenceCodes
) -> list[str]:
    """Take the establishment from the postcode and municipality columns (DESIGN §4.1)."""
    problems = []
    postcode = values.get("postcode", "")
    normalised = normalise_postcode(postcode) if postcode else ""
    if normalised is None:
        problems.append(BAD_POSTCODE % {"value": postcode})
    code = values.get("municipality_code", "").upper()
    if code.isdigit():  # a spreadsheet may have turned "0505" into 505
        code = f"GM{int(code):04d}"
    municipality = references.municipalities.get(code) if code else None
    if code and municipality is None:
        problems.append(UNKNOWN_MUNICIPALITY % {"value": values["municipality_code"]})
    elif not code and not problems:
        if not normalised:
            problems.append(str(NO_LOCATION))
        elif normalised[:4] not in references.postcodes:
            problems.append(UNKNOWN_POSTCODE % {"value": normalised})
    if normalised != normalise_postcode(data.postcode):
        # A new address: the street and place of the old one no longer apply.
        data.street = data.house_number = data.place = ""
    data.postcode = normalised or ""
    data.municipality = municipality
    return problems


def _apply_cpv_codes(data: FirmData, value: str, references: ReferenceCodes) -> list[str]:
    """Take the CPV codes, with or without check digit, separated by ``;``, ``,`` or spaces."""
    codes: list[str] = []
    malformed: list[str] = []
    unknown: list[str] = []
    for token in filter(None, CPV_SEPARATORS_RE.split(value)):
        match = CPV_RE.fullmatch(token)
        if match is None:
            malformed.append(token)
        elif match[1] not in references.cpv_codes:
            unknown.append(match[1])
        elif match[1] not in codes:
            codes.append(match[1])
    data.cpv_codes = codes
    return [
        message % {"count": len(tokens), "codes": ", ".join(tokens)}
        for message, tokens in ((BAD_CPV, malformed), (UNKNOWN_CPV, unknown))
        if tokens
    ]


def _is_valid(validator: Callable[[str], None], value: str) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def _validation_reason(error: ValidationError) -> str:
    """A ValidationError from ``firm_upsert`` as one line, naming the fields it concerns."""
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        )
    return "; ".join(error.messages)
