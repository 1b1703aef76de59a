"""The kinds of lines the monitor sums, kept apart (DESIGN §4.7): contracts on the platform and
spend imported from a finance export. Each source answers the same few grouped questions in SQL,
so a page reads a few hundred groups, never every line; a new kind of line (named subcontractors
on an award) is one more source in ``SOURCES``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Max,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Concat, ExtractYear, Substr
from django.utils.translation import gettext_lazy as _

from tenders.monitor.models import SpendLine
from tenders.selectors.award import contracts_counted

SME_LIMIT = 250  # employees; the EU SME definition (headcount only)


@dataclass(frozen=True)
class Group:
    """Lines of one source that share everything the figures look at."""

    source: str
    year: int
    buyer_code: str
    supplier_code: str | None  # None: the supplier could not be placed
    latitude: float | None
    longitude: float | None
    size: str  # "sme", "large" or "unknown"
    division: str  # the CPV division (2 digits), "" when the line has none
    value: Decimal
    count: int


@dataclass(frozen=True)
class SupplierGroup:
    """One supplier's lines of one source, for one buyer, in one year."""

    source: str
    key: str
    name: str
    buyer_code: str
    supplier_code: str | None
    latitude: float | None
    longitude: float | None
    value: Decimal
    count: int


def _size(employees: str) -> Case:
    return Case(
        When(**{f"{employees}__isnull": True}, then=Value("unknown")),
        When(**{f"{employees}__lt": SME_LIMIT}, then=Value("sme")),
        default=Value("large"),
        output_field=CharField(),
    )


class LineSource:
    """One kind of line: how to find its rows and what each of its columns is called."""

    name = ""
    label = ""
    year = buyer = supplier = latitude = longitude = employees = division = value = ""
    supplier_key = supplier_name = ""

    def rows(self) -> QuerySet:
        raise NotImplementedError

    def year_expression(self) -> object:
        return ExtractYear(self.year)

    def in_year(self, rows: QuerySet, year: int) -> QuerySet:
        """The rows of one year, by a range of dates (an index, no date function per row)."""
        return rows.filter(
            **{f"{self.year}__gte": date(year, 1, 1), f"{self.year}__lt": date(year + 1, 1, 1)}
        )

    def _for(self, buyer_codes: Iterable[str] | None, year: int | None = None) -> QuerySet:
        rows = self.rows().annotate(m_year=self.year_expression())
        if buyer_codes is not None:
            rows = rows.filter(**{f"{self.buyer}__in": list(buyer_codes)})
        if year is not None:
            rows = self.in_year(rows, year)
        return rows

    def groups(self, buyer_codes: Iterable[str] | None = None) -> Iterator[Group]:
        """Every year's lines of these buyers (all buyers: None), grouped."""
        rows = (
            self._for(buyer_codes)
            .annotate(m_size=_size(self.employees), m_division=self.division_expression())
            .values_list(
                "m_year",
                self.buyer,
                self.supplier,
                self.latitude,
                self.longitude,
                "m_size",
                "m_division",
            )
            .annotate(m_value=Sum(self.value), m_count=Count("pk"))
            .order_by()
        )
        for year, buyer, supplier, lat, lon, size, division, value, count in rows:
            yield Group(
                self.name, year, buyer, supplier, lat, lon, size, division or "", value, count
            )

    def suppliers(self, buyer_codes: Iterable[str], year: int) -> Iterator[SupplierGroup]:
        """One year's lines of these buyers, grouped by supplier."""
        rows = (
            self._for(buyer_codes, year)
            .values_list(
                self.supplier_key, self.buyer, self.supplier, self.latitude, self.longitude
            )
            .annotate(m_name=Max(self.supplier_name), m_value=Sum(self.value), m_count=Count("pk"))
            .order_by()
        )
        for key, buyer, supplier, lat, lon, name, value, count in rows:
            yield SupplierGroup(self.name, key, name or "", buyer, supplier, lat, lon, value, count)

    def division_expression(self) -> object:
        return Value("")

    def lines(self, buyer_codes: Iterable[str], year: int | None) -> QuerySet:
        """The lines themselves, for the open-data export."""
        raise NotImplementedError


class PlatformContracts(LineSource):
    """Contracts signed after an award on the platform (cancelled tenders excluded)."""

    name = "platform"
    label = _("Contracts on the platform")
    year = "signed_on"
    buyer = "tender__buyer__municipality_id"
    supplier = "firm__municipality_id"
    latitude = "firm__latitude"
    longitude = "firm__longitude"
    employees = "firm__employees"
    value = "value"
    supplier_name = "firm__organisation__name"

    def rows(self) -> QuerySet:
        return contracts_counted().annotate(m_key=Concat(Value("kvk:"), F("firm__kvk_number")))

    supplier_key = "m_key"

    def division_expression(self) -> object:
        return Substr("tender__main_cpv_id", 1, 2)

    def lines(self, buyer_codes: Iterable[str], year: int | None) -> QuerySet:
        return (
            self._for(buyer_codes, year)
            .select_related("tender__buyer", "firm__organisation", "firm__municipality")
            .order_by("signed_on", "pk")
        )


class ImportedSpend(LineSource):
    """Spend lines imported from a municipality's finance export (``import_spend``)."""

    name = "imported"
    label = _("Imported from the finance export")
    year = "booked_on"
    buyer = "municipality_id"
    supplier = "supplier_municipality_id"
    latitude = "latitude"
    longitude = "longitude"
    employees = "firm__employees"
    value = "amount"
    supplier_key = "supplier_key"
    supplier_name = "supplier_name"

    def rows(self) -> QuerySet:
        return SpendLine.objects.all()

    def year_expression(self) -> object:
        return F("year")

    def in_year(self, rows: QuerySet, year: int) -> QuerySet:
        return rows.filter(year=year)

    def lines(self, buyer_codes: Iterable[str], year: int | None) -> QuerySet:
        return (
            self._for(buyer_codes, year)
            .select_related("supplier_municipality")
            .order_by("booked_on", "pk")
        )


SOURCES: tuple[LineSource, ...] = (PlatformContracts(), ImportedSpend())


def buyer_codes_with_data() -> set[str]:
    """The municipalities that have any line in any source."""
    codes: set[str] = set()
    for source in SOURCES:
        codes.update(source.rows().values_list(source.buyer, flat=True).distinct().order_by())
    return codes


def years_with_data(buyer_codes: Iterable[str]) -> list[int]:
    """The years in which these municipalities have lines, oldest first."""
    codes = list(buyer_codes)
    years: set[int] = set()
    for source in SOURCES:
        years.update(source._for(codes).values_list("m_year", flat=True).distinct().order_by())
    return sorted(years)
