"""The batch import: rows checked one by one, written a batch at a time (issue 12).

Each batch is one transaction: the firms it names are looked up in one query, new organisations
and firms are inserted and known ones updated in bulk, CPV codes and audit events written in
bulk, and the search index updated once for the batch after commit. Reference data is loaded
once per import. What a batch writes is exactly what ``firm_upsert`` row by row would write
(``row_by_row.py``; a test holds them to it); a batch the database refuses is rolled back and
done again row by row, so that each bad row is named. An interrupted import keeps every batch
that committed: running it again is safe, rows are upserted by KvK number.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import slugify

from marketplace.geo import location_of, normalise_postcode
from marketplace.models import AuditEvent, Organisation
from marketplace.selectors import unique_slug
from suppliers.importing.row_by_row import upsert_one
from suppliers.importing.rows import (
    KVK_RE,
    ImportReport,
    Record,
    ReferenceCodes,
    Rejection,
    SeenKvkNumbers,
    firm_data_from_record,
    validation_reason,
)
from suppliers.models import Firm
from suppliers.search import index_after_commit
from suppliers.services import UNKNOWN_CPV, UNKNOWN_LOCATION, FirmData, firm_fields_set

BATCH_SIZE = 1000
# What firm_upsert sets on a firm, in the order it sets them (plus updated_at, auto_now).
FIRM_FIELDS = [
    "description",
    "street",
    "house_number",
    "postcode",
    "place",
    "postcode_area",
    "municipality",
    "latitude",
    "longitude",
    "employees",
    "website",
    "email",
    "phone",
    "open_to_partnerships",
    "published",
    "establishment_number",
    "updated_at",
]
# Reference data the import loaded itself: no query per row to check that it exists.
NOT_CLEANED = ["organisation", "municipality", "postcode_area"]
NUMBERED_SLUG_RE = re.compile(r"(.+)-([1-9][0-9]*)")


class ImportInterrupted(Exception):
    """Ctrl-C or SIGTERM during an import: ``report`` holds what the committed batches did."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__("interrupted")
        self.report = report


def import_in_batches(
    columns: Sequence[str],
    records: Iterable[Record],
    *,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check every record and upsert the good ones, a batch per transaction; a dry run rolls
    each batch back. ``progress`` gets the last line done after each batch."""
    report = ImportReport()
    importer = _BatchImporter(columns, ReferenceCodes.load())
    try:
        for batch in _batched(iter(records), batch_size):
            done = ImportReport()
            importer.run(batch, done, dry_run=dry_run)
            report.created += done.created
            report.updated += done.updated
            report.rejected += done.rejected
            report.saved_through = batch[-1].end or batch[-1].line
            if progress is not None:
                progress(report.saved_through)
    except KeyboardInterrupt:
        raise ImportInterrupted(report) from None
    return report


def _batched(records: Iterator[Record], size: int) -> Iterator[list[Record]]:
    while batch := list(islice(records, size)):
        yield batch


class _BatchImporter:
    def __init__(self, columns: Sequence[str], references: ReferenceCodes) -> None:
        self.columns = columns
        self.references = references
        self.seen = SeenKvkNumbers()
        self.slugs = _Slugs()
        self.kvk_column = list(columns).index("kvk_number")

    def run(self, batch: list[Record], report: ImportReport, *, dry_run: bool) -> None:
        with transaction.atomic():
            checked = self._check(batch, report)
            try:
                with transaction.atomic():
                    _write(checked, self.references, self.slugs, report)
            except DatabaseError:
                # Name the row the database refuses: this batch again, row by row.
                report.created = report.updated = 0
                report.rejected = [r for r in report.rejected if r.line not in _lines(checked)]
                self.slugs.forget()
                for line, data, _firm in checked:
                    upsert_one(line, data, report)
                report.rejected.sort(key=lambda r: r.line)
            if dry_run:
                # Nothing is written, and on_commit work (search indexing) is dropped with it.
                transaction.set_rollback(True)
                self.slugs.forget()

    def _check(self, batch: list[Record], report: ImportReport) -> list[tuple[int, FirmData, Firm]]:
        """The good rows of the batch with their firm (None: new); the bad ones rejected."""
        kvks = {
            record.cells[self.kvk_column].strip()
            for record in batch
            if len(record.cells) == len(self.columns)
        }
        known = {
            firm.kvk_number: firm
            for firm in Firm.objects.select_related("organisation", "municipality")
            .prefetch_related("cpv_codes", "sbi_codes", "certifications")
            .filter(kvk_number__in=[kvk for kvk in kvks if KVK_RE.fullmatch(kvk)])
        }
        checked = []
        for record in batch:
            if record.blank:
                continue
            data, problems = firm_data_from_record(
                record, self.columns, self.references, self.seen, known.get
            )
            if data is None or problems:
                report.rejected.append(Rejection(record.line, "; ".join(problems)))
            else:
                checked.append((record.line, data, known.get(data.kvk_number)))
        return checked


def _lines(checked) -> set[int]:
    return {line for line, _data, _firm in checked}


def _write(checked, references: ReferenceCodes, slugs: _Slugs, report: ImportReport) -> None:
    """What ``firm_upsert`` does for each row, in bulk: organisations, firms, CPV codes, audit."""
    now = timezone.now()
    rows = []  # (firm, created, cpv codes)
    for line, data, firm in checked:
        try:
            rows.append(_firm_of(data, firm, references, now))
        except ValidationError as error:
            report.rejected.append(Rejection(line, validation_reason(error)))
    report.rejected.sort(key=lambda r: r.line)

    new = [(firm, name) for firm, created, _codes, name in rows if created]
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(name=name, kind=Organisation.Kind.FIRM, slug=slug, created_at=now)
            for (_firm, name), slug in zip(new, slugs.allocate([n for _f, n in new]), strict=True)
        ]
    )
    for (firm, _name), organisation in zip(new, organisations, strict=True):
        firm.organisation = organisation
    renamed = []
    for firm, created, _codes, name in rows:
        if not created and firm.organisation.name != name:
            firm.organisation.name = name
            renamed.append(firm.organisation)
    Organisation.objects.bulk_update(renamed, ["name"])
    Firm.objects.bulk_create([firm for firm, created, _c, _n in rows if created])
    Firm.objects.bulk_update([firm for firm, created, _c, _n in rows if not created], FIRM_FIELDS)

    through = Firm.cpv_codes.through
    replaced = [
        firm.pk
        for firm, created, codes, _n in rows
        if not created and {c.pk for c in firm.cpv_codes.all()} != set(codes)
    ]
    through.objects.filter(firm_id__in=replaced).delete()
    replaced_set = set(replaced)
    through.objects.bulk_create(
        [
            through(firm_id=firm.pk, cpvcode_id=code)
            for firm, created, codes, _n in rows
            if created or firm.pk in replaced_set
            for code in codes
        ]
    )
    events = []
    for firm, created, _codes, _n in rows:
        if created:
            events.append(_event("organisation.created", firm.organisation, firm.organisation, {}))
        action = "firm.created" if created else "firm.updated"
        events.append(_event(action, firm.organisation, firm, {"kvk_number": firm.kvk_number}))
    AuditEvent.objects.bulk_create(events)
    report.created += len(new)
    report.updated += len(rows) - len(new)
    index_after_commit([firm.pk for firm, *_rest in rows])


def _firm_of(data: FirmData, firm: Firm | None, references: ReferenceCodes, now):
    """The firm as ``firm_upsert`` would leave it, unsaved: (firm, created, CPV codes, name)."""
    normalised = normalise_postcode(data.postcode)
    area = references.postcodes.get(normalised[:4]) if normalised else None
    location = location_of(area, data.municipality)
    if location is None:
        raise ValidationError(UNKNOWN_LOCATION)
    codes = list(dict.fromkeys(c.split("-")[0].strip() for c in data.cpv_codes if c.strip()))
    missing = sorted(set(codes) - references.cpv_codes)
    if missing:
        raise ValidationError(UNKNOWN_CPV, params={"codes": ", ".join(missing)})
    created = firm is None
    if created:
        firm = Firm(kvk_number=data.kvk_number)
    firm_fields_set(firm=firm, data=data, location=location)
    firm.updated_at = now
    # KvK numbers are unique within the file, and a known one is an update: no unique check.
    firm.full_clean(exclude=NOT_CLEANED, validate_unique=False, validate_constraints=False)
    return firm, created, codes, data.name


def _event(action: str, organisation: Organisation, obj, details: dict) -> AuditEvent:
    """What ``audit_record`` writes, without an actor (an import has none)."""
    return AuditEvent(
        action=action,
        actor=None,
        actor_label="",
        organisation=organisation,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        details=details,
    )


class _Slugs:
    """New organisations' slugs, as ``unique_slug`` would give them one by one: the name's slug,
    else the first free ``<slug>-<n>``. A name met before keeps where its numbering got to, so
    a thousand firms of one name take a query, not a thousand."""

    def __init__(self) -> None:
        self.numbering: dict[str, tuple[int, set[int]]] = {}  # base → (next n, taken above it)

    def forget(self) -> None:
        """After a rollback the numbers handed out are free again."""
        self.numbering.clear()

    def allocate(self, names: list[str]) -> list[str]:
        if not names:
            return []
        bases = [slugify(name)[:70] or "organisatie" for name in names]
        counts = Counter(bases)
        fresh = {base for base in bases if base not in self.numbering}
        in_use = set(Organisation.objects.filter(slug__in=fresh).values_list("slug", flat=True))
        for base in fresh:
            if base in in_use or counts[base] > 1:
                self._load(base)
        slugs: list[str] = []
        for base in bases:
            slug = self._next(base) if base in self.numbering else base
            if slug in slugs:  # another name's numbered slug, in this batch
                slug = self._next(base) if base in self.numbering else f"{base}-2"
            slugs.append(slug)
        clashes = set(Organisation.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        if clashes:  # another name's numbered slug, from before: ask one by one
            slugs = [
                unique_slug(b) if s in clashes else s for s, b in zip(slugs, bases, strict=True)
            ]
        return slugs

    def _load(self, base: str) -> None:
        taken = set()
        for slug in Organisation.objects.filter(slug__startswith=base).values_list(
            "slug", flat=True
        ):
            if slug == base:
                taken.add(1)
            elif (match := NUMBERED_SLUG_RE.fullmatch(slug)) and match[1] == base:
                taken.add(int(match[2]))
        self.numbering[base] = (1, taken)

    def _next(self, base: str) -> str:
        n, taken = self.numbering[base]
        while n in taken:
            taken.discard(n)
            n += 1
        self.numbering[base] = (n + 1, taken)
        return base if n == 1 else f"{base}-{n}"
