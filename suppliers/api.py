"""GET /api/suppliers (DESIGN §6): the supplier index as JSON, ranked local first."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from marketplace.api import BAD_PARAMETER, MAX_OFFSET, MUNICIPALITY_CODE_OR_EMPTY
from suppliers.forms.search import SupplierSearchForm
from suppliers.search import search_firms
from suppliers.search.base import MAX_LIMIT, MAX_RADIUS_KM
from suppliers.search.query import DEFAULT_RADIUS_KM
from suppliers.selectors import cpv_codes_of

router = Router(tags=["suppliers"])


class SupplierFilters(Schema):
    q: str = Field("", description="Words to find; the last may be the start of a word.")
    cpv: str = Field(
        "",
        description="CPV codes (separated by commas, spaces or semicolons, check digit optional)"
        " or their first digits (4544 for 45440000); each matches its subtree.",
    )
    near: str = Field(
        "",
        pattern=MUNICIPALITY_CODE_OR_EMPTY,
        description="Context municipality, e.g. GM0505: local firms first.",
    )
    radius_km: float = Field(
        DEFAULT_RADIUS_KM, ge=0, le=MAX_RADIUS_KM, description="Radius for 'nearby'."
    )
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class MunicipalityOut(Schema):
    code: str
    name: str


class LocalityOut(Schema):
    tier: int | None
    label: str


class SupplierOut(Schema):
    kvk_number: str
    name: str
    municipality: MunicipalityOut
    locality: LocalityOut
    distance_km: float | None
    cpv_codes: list[str]
    url: str


class SupplierList(Schema):
    count: int
    backend: str
    results: list[SupplierOut]


@router.get(
    "/suppliers",
    response={200: SupplierList, **BAD_PARAMETER},
    summary="Search the supplier index",
)
def supplier_list(request: HttpRequest, filters: Query[SupplierFilters]) -> dict:
    """Firms matching the filters; with ``near``: local, regional, nearby, then the rest."""
    form = SupplierSearchForm(filters.model_dump(include={"q", "cpv", "near", "radius_km"}))
    if not form.is_valid():
        errors = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in form.errors.items()
        )
        raise HttpError(422, errors)
    query = form.search_query(limit=filters.limit, offset=filters.offset)
    result = search_firms(query)
    codes = cpv_codes_of([hit.firm_id for hit in result.hits])
    return {
        "count": result.count,
        "backend": result.backend,
        "results": [
            {
                "kvk_number": hit.kvk_number,
                "name": hit.name,
                "municipality": {"code": hit.municipality_code, "name": hit.municipality_name},
                "locality": {
                    "tier": int(hit.tier) if hit.tier is not None else None,
                    "label": hit.tier_label,
                },
                "distance_km": round(hit.distance_km, 1) if hit.distance_km is not None else None,
                "cpv_codes": [c.full_code for c in codes.get(hit.firm_id, [])],
                "url": request.build_absolute_uri(
                    reverse("suppliers:detail", args=[hit.kvk_number])
                ),
            }
            for hit in result.hits
        ],
    }
