"""Checking one import row: the firm it describes and what is wrong with it (DESIGN §6).

Shared by both import paths (``batches.py`` and the row-by-row reference, ``row_by_row.py``):
the same checks, the same reasons, the same ``FirmData``.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from marketplace.geo import normalise_postcode
from marketplace.models import CpvCode, Municipality, Organisation, Postcode
from suppliers.models import Firm
from suppliers.services import FirmData

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


@dataclass(frozen=True)
class Record:
    """One CSV record: the physical line it starts on, and its cells or why it is unreadable."""

    line: int
    cells: tuple[str, ...] = ()
    error: str = ""
    end: int = 0  # the last physical line it spans
    blank: bool = False  # only empty cells: skipped, neither imported nor rejected


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
    saved_through: int = 0  # the last line of the last batch done (not part of the JSON)

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
    postcodes: dict[str, Postcode]
    cpv_codes: frozenset[str]

    @classmethod
    def load(cls) -> ReferenceCodes:
        """Load municipalities, postcode areas and CPV codes from the database."""
        municipalities = Municipality.objects.in_bulk()
        postcodes = {}
        for area in Postcode.objects.all():
            area.municipality = municipalities[area.municipality_id]
            postcodes[area.code] = area
        return cls(
            municipalities=municipalities,
            postcodes=postcodes,
            cpv_codes=frozenset(CpvCode.objects.values_list("code", flat=True)),
        )


class SeenKvkNumbers:
    """The KvK numbers met so far in a file and the line of each, in constant memory per number:
    a bit per possible number (12.5 MB) and 8 bytes per row, so a national file fits."""

    def __init__(self) -> None:
        self.bits = bytearray(10**8 // 8 + 1)
        self.numbers = array("I")
        self.lines = array("I")

    def first_line(self, kvk: str) -> int | None:
        number = int(kvk)
        if not self.bits[number >> 3] & (1 << (number & 7)):
            return None
        return self.lines[self.numbers.index(number)]

    def add(self, kvk: str, line: int) -> None:
        number = int(kvk)
        self.bits[number >> 3] |= 1 << (number & 7)
        self.numbers.append(number)
        self.lines.append(line)


def existing_firm(kvk: str) -> Firm | None:
    """The firm with this KvK number, with what ``firm_data_of`` reads (one row's lookup)."""
    return (
        Firm.objects.select_related("organisation", "municipality")
        .prefetch_related("cpv_codes", "sbi_codes", "certifications")
        .filter(kvk_number=kvk)
        .first()
    )


def firm_data_from_record(
    record: Record,
    columns: Sequence[str],
    references: ReferenceCodes,
    seen: SeenKvkNumbers,
    existing: Callable[[str], Firm | None] = existing_firm,
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
    firm = None
    if not kvk:
        problems.append(str(MISSING_KVK))
    elif not KVK_RE.fullmatch(kvk):
        problems.append(BAD_KVK % {"value": kvk})
    elif (first := seen.first_line(kvk)) is not None:
        problems.append(DUPLICATE_KVK % {"kvk": kvk, "line": first})
    else:
        seen.add(kvk, record.line)
        firm = existing(kvk)
    # Columns the file lacks keep the firm's current values; firm_upsert replaces every field.
    data = firm_data_of(firm) if firm else FirmData(kvk_number=kvk, name="")

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


def validation_reason(error: ValidationError) -> str:
    """A ValidationError from ``firm_upsert`` as one line, naming the fields it concerns."""
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        )
    return "; ".join(error.messages)


def firm_data_of(firm: Firm) -> FirmData:
    """What ``firm_upsert`` would need to leave this firm exactly as it is."""
    return FirmData(
        kvk_number=firm.kvk_number,
        name=firm.name,
        description=firm.description,
        street=firm.street,
        house_number=firm.house_number,
        postcode=firm.postcode,
        place=firm.place,
        municipality=firm.municipality,
        cpv_codes=[code.pk for code in firm.cpv_codes.all()],
        sbi_codes=[(code.version, code.code) for code in firm.sbi_codes.all()],
        certifications=[certification.pk for certification in firm.certifications.all()],
        establishment_number=firm.establishment_number,
        employees=firm.employees,
        website=firm.website,
        email=firm.email,
        phone=firm.phone,
        open_to_partnerships=firm.open_to_partnerships,
        published=firm.published,
    )
