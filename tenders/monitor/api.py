"""GET /api/monitor/{gm_code}?year= (DESIGN §6): a municipality's local-spend figures."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from marketplace.models import Municipality
from tenders.monitor.selectors import monitor_figures

router = Router(tags=["local-spend monitor"])


class MonitorQuery(Schema):
    year: int | None = Field(
        None, ge=2000, le=2100, description="Year of signing (Europe/Amsterdam); default: latest."
    )


class MunicipalityOut(Schema):
    code: str
    name: str


class CellOut(Schema):
    value: float = Field(description="Euros excl. VAT.")
    count: int


class TierOut(Schema):
    tier: int = Field(description="0 Lokaal, 1 Regio, 2 Dichtbij, 3 Elders (DESIGN §4.1).")
    label: str
    value: float
    count: int
    share_of_value: float | None
    share_of_count: float | None
    sources: dict[str, CellOut] = Field(description="What the figure is made of, per source.")


class UnknownOut(CellOut):
    share_of_value: float | None
    share_of_count: float | None


class SourcesOut(Schema):
    platform: CellOut
    imported: CellOut


class MonitorOut(Schema):
    municipality: MunicipalityOut
    year: int
    total: CellOut
    tiers: list[TierOut]
    unknown: UnknownOut
    sources: SourcesOut


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: list[dict[str, Any]] = Field(description="What was wrong with each parameter.")


@router.get(
    "/monitor/{gm_code}",
    response={200: MonitorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Local-spend figures of a municipality",
    url_name="monitor",
)
def monitor(request: HttpRequest, gm_code: str, query: Query[MonitorQuery]) -> dict:
    """Value and count by tier relative to the municipality, contracts on the platform and
    imported spend kept apart; a year's contracts are those signed in it (Europe/Amsterdam)."""
    municipality = Municipality.objects.filter(code=gm_code.strip().upper()).first()
    if municipality is None:
        raise HttpError(404, "Unknown municipality code.")
    figures = monitor_figures(municipality=municipality, year=query.year)
    return {
        "municipality": {"code": municipality.code, "name": municipality.name},
        "year": figures.year,
        "total": figures.total.as_dict(),
        "tiers": [
            {
                "tier": int(row.tier),
                "label": row.label,
                "value": float(row.value),
                "count": row.count,
                "share_of_value": row.share_of_value,
                "share_of_count": row.share_of_count,
                "sources": {name: cell.as_dict() for name, cell in row.by_source.items()},
            }
            for row in figures.tiers
        ],
        "unknown": {
            "value": float(figures.unknown.value),
            "count": figures.unknown.count,
            "share_of_value": figures.unknown.share_of_value,
            "share_of_count": figures.unknown.share_of_count,
        },
        "sources": {name: cell.as_dict() for name, cell in figures.sources.items()},
    }
