"""Live figures: numbers from the platform that speerpunten quote, computed when a page is shown.

A figure kind is a name, a label, the parameters it needs and a function that answers a
``Figure`` (value, source, as-of date) or None when its source has no data yet ("nog geen
gegevens"), never a made-up 0. Pages and the booklet ask ``figure_compute``; nothing else
needs to know which app a number comes from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.models import CpvCode, Region
from suppliers.models import Firm
from tenders.monitor.selectors import local_share as monitor_local_share
from tenders.selectors.visibility import public_tenders

PARAMETERS = ("cpv_division", "region", "municipality", "year", "measure")


@dataclass(frozen=True)
class Figure:
    value: int | Decimal
    source: str
    as_of: date
    percentage: bool = False


@dataclass(frozen=True)
class FigureKind:
    name: str
    label: str  # lazily translated
    parameters: tuple[str, ...]
    compute: Callable[..., Figure | None]


REGISTRY: dict[str, FigureKind] = {}


def figure_kind_register(kind: FigureKind) -> None:
    """Add a kind of live figure (or replace the one with the same name)."""
    REGISTRY[kind.name] = kind


def figure_kind_choices() -> list[tuple[str, str]]:
    return [(kind.name, kind.label) for kind in REGISTRY.values()]


def figure_compute(kind: str, **parameters: object) -> Figure | None:
    """The figure of this kind for these parameters, or None when there is no data (yet)."""
    registered = REGISTRY.get(kind)
    if registered is None:
        return None
    wanted = {name: parameters.get(name) for name in registered.parameters}
    if any(value in (None, "") for name, value in wanted.items() if name != "measure"):
        return None
    return registered.compute(**wanted)


def open_tenders_in_division(*, cpv_division: str) -> Figure | None:
    """Public tenders still taking quotes whose main or other CPV code is in the division."""
    division = str(cpv_division).strip()[:2]
    if not CpvCode.objects.filter(code=f"{division}000000").exists():
        return None
    count = (
        public_tenders()
        .open()
        .filter(
            Q(main_cpv__code__startswith=division) | Q(additional_cpv__code__startswith=division)
        )
        .distinct()
        .count()
    )
    return Figure(count, str(_("Dichtbij, open tenders")), timezone.localdate())


def firms_in_region(*, region: str) -> Figure | None:
    """Published firms in the supplier index whose municipality lies in the region."""
    if not Region.objects.filter(code=region).exists():
        return None
    count = Firm.objects.published().filter(municipality__region_id=region).count()
    return Figure(count, str(_("Dichtbij, supplier index")), timezone.localdate())


def local_share(*, municipality: str, year: int, measure: str | None = None) -> Figure | None:
    """The share of a municipality's spend in a year that went to local firms, by value (the
    default) or by count, as the local-spend monitor computes it (tenders.monitor)."""
    by = "count" if measure == "count" else "value"
    try:
        year = int(year)
    except (TypeError, ValueError):
        return None
    result = monitor_local_share(municipality_code=str(municipality), year=year, by=by)
    if result is None or result["value"] is None:
        return None
    percentage = (Decimal(str(result["value"])) * 100).quantize(Decimal("0.1"))
    return Figure(
        percentage,
        result["source"],
        result["as_of"] or timezone.localdate(),
        percentage=True,
    )


figure_kind_register(
    FigureKind(
        "open_tenders_cpv",
        _("Open tenders in a CPV division"),
        ("cpv_division",),
        open_tenders_in_division,
    )
)
figure_kind_register(
    FigureKind("firms_region", _("Firms in the index for a region"), ("region",), firms_in_region)
)
figure_kind_register(
    FigureKind(
        "local_share",
        _("Local share of a municipality's spend"),
        ("municipality", "year", "measure"),
        local_share,
    )
)
