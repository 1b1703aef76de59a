"""The monitor's figures (DESIGN §4.7, issue 14 point 1): per municipality or region and year, the
value and count by tier relative to each line's buying municipality, the trend, CPV divisions,
the SME share, distinct local suppliers and the top suppliers' share, each source kept apart.

Tiers follow the supplier index's rule (``suppliers.search.query.Context.tier_of``); a supplier
that cannot be placed is "Onbekend", never dropped."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.geo import distance_km
from marketplace.models import CpvCode, Municipality, Region
from suppliers.search.base import TIER_LABELS, Tier
from suppliers.search.query import DEFAULT_RADIUS_KM, Context
from tenders.monitor.models import SpendLine
from tenders.monitor.sources import SOURCES, Group, buyer_codes_with_data, years_with_data
from tenders.selectors.award import contracts_counted

TIERS = (Tier.LOCAL, Tier.REGION, Tier.NEARBY, Tier.ELSEWHERE)
UNKNOWN_LABEL = _("Unknown")
TOP_SUPPLIERS = 10
ZERO = Decimal("0.00")
LOCAL_SHARE_SOURCE = _("Dichtbij local-spend monitor: contracts on the platform and imported spend")


def tier_label(tier: Tier | None) -> str:
    return str(TIER_LABELS[tier]) if tier is not None else str(UNKNOWN_LABEL)


def share(part: Decimal | int, whole: Decimal | int) -> float | None:
    """A share from 0 to 1, rounded to 4 places; None when the whole is zero."""
    return round(float(part) / float(whole), 4) if whole else None


@dataclass
class Cell:
    """A sum and a count of lines."""

    value: Decimal = ZERO
    count: int = 0

    def add(self, value: Decimal, count: int) -> None:
        self.value += value
        self.count += count

    def as_dict(self) -> dict[str, Any]:
        return {"value": float(self.value), "count": self.count}


class Placer:
    """Each supplier's tier relative to a buying municipality, by the supplier index's rule."""

    def __init__(self) -> None:
        self.places = {
            m.code: m
            for m in Municipality.objects.only("code", "name", "region_id", "latitude", "longitude")
        }
        self._tiers: dict[tuple, Tier | None] = {}

    def tier(
        self, buyer: str, supplier: str | None, latitude: float | None, longitude: float | None
    ) -> Tier | None:
        key = (buyer, supplier, latitude, longitude)
        if key not in self._tiers:
            self._tiers[key] = self._tier(*key)
        return self._tiers[key]

    def _tier(self, buyer_code, supplier_code, latitude, longitude) -> Tier | None:
        if supplier_code is None or supplier_code not in self.places:
            return None
        buyer, supplier = self.places[buyer_code], self.places[supplier_code]
        if latitude is None or longitude is None:
            latitude, longitude = supplier.latitude, supplier.longitude
        context = Context(
            buyer.code, buyer.region_id, buyer.latitude, buyer.longitude, DEFAULT_RADIUS_KM
        )
        distance = distance_km(latitude, longitude, buyer.latitude, buyer.longitude)
        return context.tier_of(supplier.code, supplier.region_id, distance)


@dataclass
class TierRow:
    tier: Tier | None
    label: str
    value: Decimal
    count: int
    share_of_value: float | None
    share_of_count: float | None
    by_source: dict[str, Cell]


@dataclass
class YearRow:
    year: int
    cells: dict[Tier | None, Cell]
    total: Cell

    @property
    def local_share_of_value(self) -> float | None:
        return share(self.cells[Tier.LOCAL].value, self.total.value)

    @property
    def local_share_of_count(self) -> float | None:
        return share(self.cells[Tier.LOCAL].count, self.total.count)

    def rows(self) -> list[TierRow]:
        return [
            TierRow(
                tier,
                tier_label(tier),
                self.cells[tier].value,
                self.cells[tier].count,
                share(self.cells[tier].value, self.total.value),
                share(self.cells[tier].count, self.total.count),
                {},
            )
            for tier in (*TIERS, None)
        ]


def _year_row(year: int) -> YearRow:
    return YearRow(year, {tier: Cell() for tier in (*TIERS, None)}, Cell())


@dataclass
class Figures:
    """Everything the monitor page, the API and the exports show for one scope and year."""

    municipality: Municipality
    region: Region | None  # set when the figures are the region's
    buyers: list[Municipality]
    year: int
    years: list[int]
    total: Cell
    tiers: list[TierRow]
    unknown: TierRow
    sources: dict[str, Cell]
    trend: list[YearRow]
    divisions: list[dict[str, Any]]
    sme: dict[str, Any]
    local_suppliers: int
    top_suppliers: list[dict[str, Any]]
    top_share: float | None
    unplaced: list[dict[str, Any]] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        return self.total.count > 0

    @property
    def scope_name(self) -> str:
        return self.region.name if self.region else self.municipality.name


def region_members(municipality: Municipality) -> list[Municipality]:
    """The municipalities of ``municipality``'s region (the one its tier "Regio" uses)."""
    return list(Municipality.objects.filter(region_id=municipality.region_id).order_by("name"))


def monitor_figures(
    *, municipality: Municipality, year: int | None = None, region: bool = False
) -> Figures:
    """The figures of a municipality (or, with ``region``, of its whole region) in ``year``
    (default: the latest year with data, else this year)."""
    buyers = region_members(municipality) if region else [municipality]
    codes = [m.code for m in buyers]
    years = years_with_data(codes)
    if year is None:
        year = years[-1] if years else timezone.localdate().year
    placer = Placer()
    trend: dict[int, YearRow] = {}
    by_source: dict[tuple[Tier | None, str], Cell] = defaultdict(Cell)
    sources = {source.name: Cell() for source in SOURCES}
    divisions: dict[str, dict[Tier | None, Cell]] = defaultdict(lambda: defaultdict(Cell))
    sizes: dict[str, Cell] = defaultdict(Cell)
    for source in SOURCES:
        for group in source.groups(codes):
            tier = placer.tier(
                group.buyer_code, group.supplier_code, group.latitude, group.longitude
            )
            row = trend.setdefault(group.year, _year_row(group.year))
            row.cells[tier].add(group.value, group.count)
            row.total.add(group.value, group.count)
            if group.year != year:
                continue
            by_source[(tier, source.name)].add(group.value, group.count)
            sources[source.name].add(group.value, group.count)
            divisions[group.division][tier].add(group.value, group.count)
            sizes[group.size].add(group.value, group.count)
    current = trend.get(year, _year_row(year))
    rows = current.rows()
    for row in rows:
        row.by_source = {s.name: by_source.get((row.tier, s.name), Cell()) for s in SOURCES}
    suppliers = _suppliers(codes, year, placer)
    known = sizes["sme"].value + sizes["large"].value
    top = sorted(suppliers.values(), key=lambda s: (-s["value"], s["name"]))[:TOP_SUPPLIERS]
    for supplier in top:
        supplier["share"] = share(supplier["value"], current.total.value)
    return Figures(
        municipality=municipality,
        region=municipality.region if region else None,
        buyers=buyers,
        year=year,
        years=years,
        total=current.total,
        tiers=rows[:4],
        unknown=rows[4],
        sources=sources,
        trend=[trend[y] for y in sorted(trend)],
        divisions=_divisions(divisions, current.total),
        sme={
            "value": sizes["sme"].value,
            "known_value": known,
            "unknown_value": sizes["unknown"].value,
            "share": share(sizes["sme"].value, known),
        },
        local_suppliers=sum(1 for s in suppliers.values() if s["tier"] == Tier.LOCAL),
        top_suppliers=top,
        top_share=share(sum((s["value"] for s in top), ZERO), current.total.value),
        unplaced=[s for s in suppliers.values() if s["tier"] is None],
    )


def _suppliers(codes: list[str], year: int, placer: Placer) -> dict[str, dict[str, Any]]:
    """Each supplier of the year, across sources (a KvK number is one supplier everywhere)."""
    suppliers: dict[str, dict[str, Any]] = {}
    for source in SOURCES:
        for group in source.suppliers(codes, year):
            tier = placer.tier(
                group.buyer_code, group.supplier_code, group.latitude, group.longitude
            )
            supplier = suppliers.setdefault(
                group.key,
                {"key": group.key, "name": group.name, "tier": tier, "value": ZERO, "count": 0},
            )
            supplier["value"] += group.value
            supplier["count"] += group.count
            if tier is not None and (supplier["tier"] is None or tier < supplier["tier"]):
                supplier["tier"] = tier
            supplier["name"] = supplier["name"] or group.name
    for supplier in suppliers.values():
        supplier["tier_label"] = tier_label(supplier["tier"])
    return suppliers


def _divisions(divisions: dict[str, dict[Tier | None, Cell]], total: Cell) -> list[dict[str, Any]]:
    labels = dict(CpvCode.objects.filter(level=1).values_list("code", "label_nl").order_by())
    result = []
    for division, cells in divisions.items():
        value = sum((c.value for c in cells.values()), ZERO)
        count = sum(c.count for c in cells.values())
        local = cells.get(Tier.LOCAL, Cell())
        result.append(
            {
                "division": division,
                "label": labels.get(division.ljust(8, "0"), "") if division else "",
                "value": value,
                "count": count,
                "share_of_value": share(value, total.value),
                "local_share_of_value": share(local.value, value),
                "local_share_of_count": share(local.count, count),
            }
        )
    return sorted(result, key=lambda d: (d["division"] == "", -d["value"], d["division"]))


@dataclass
class OverviewRow:
    municipality: Municipality
    this_year: float | None
    last_year: float | None
    value: Decimal


def monitor_overview(*, year: int | None = None) -> dict[str, Any]:
    """Every municipality with data: its local share by value this year and last, and the same
    per region (summed over its municipalities with data)."""
    year = year or timezone.localdate().year
    placer = Placer()
    cells: dict[tuple[str, int], YearRow] = {}
    for source in SOURCES:
        for group in _groups_in(source.groups(None), (year, year - 1)):
            tier = placer.tier(
                group.buyer_code, group.supplier_code, group.latitude, group.longitude
            )
            row = cells.setdefault((group.buyer_code, group.year), _year_row(group.year))
            row.cells[tier].add(group.value, group.count)
            row.total.add(group.value, group.count)
    codes = buyer_codes_with_data()
    municipalities = Municipality.objects.filter(code__in=codes).select_related("region")
    rows, regions = [], {}
    for municipality in municipalities.order_by("name"):
        now, before = cells.get((municipality.code, year)), cells.get((municipality.code, year - 1))
        rows.append(
            OverviewRow(
                municipality,
                now.local_share_of_value if now else None,
                before.local_share_of_value if before else None,
                now.total.value if now else ZERO,
            )
        )
        region = regions.setdefault(
            municipality.region_id,
            {
                "region": municipality.region,
                "members": [],
                "now": _year_row(year),
                "before": _year_row(year - 1),
            },
        )
        region["members"].append(municipality)
        for key, target in (
            ((municipality.code, year), "now"),
            ((municipality.code, year - 1), "before"),
        ):
            if key in cells:
                for tier, cell in cells[key].cells.items():
                    region[target].cells[tier].add(cell.value, cell.count)
                region[target].total.add(cells[key].total.value, cells[key].total.count)
    return {
        "year": year,
        "rows": rows,
        "regions": sorted(regions.values(), key=lambda r: r["region"].name),
    }


def _groups_in(groups: Iterable[Group], years: tuple[int, ...]) -> Iterable[Group]:
    return (group for group in groups if group.year in years)


def local_share(*, municipality_code: str, year: int, by: str = "value") -> dict[str, Any] | None:
    """The local share of a municipality's spend in a year (by "value" or "count"), with its
    source and the date the figures were last updated; None when there is nothing to show."""
    if by not in ("value", "count"):
        raise ValueError(f"by must be 'value' or 'count', not {by!r}")
    municipality = Municipality.objects.filter(code=municipality_code.upper()).first()
    if municipality is None:
        return None
    figures = monitor_figures(municipality=municipality, year=year)
    if not figures.has_data:
        return None
    local = figures.tiers[0]
    return {
        "value": local.share_of_value if by == "value" else local.share_of_count,
        "municipality": municipality.name,
        "year": year,
        "by": by,
        "source": str(LOCAL_SHARE_SOURCE),
        "as_of": _as_of(municipality.code),
        "url": f"/monitor/{municipality.code}/?year={year}",
    }


def _as_of(code: str) -> date | None:
    """When the figures of a municipality last changed: its latest contract or import."""
    moments = [
        contracts_counted()
        .filter(tender__buyer__municipality_id=code)
        .aggregate(at=Max("recorded_at"))["at"],
        SpendLine.objects.filter(municipality_id=code).aggregate(at=Max("imported_at"))["at"],
    ]
    known = [timezone.localdate(m) for m in moments if m is not None]
    return max(known) if known else None
