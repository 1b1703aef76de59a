"""The supplier search page: local firms first, with the reason for each place in the list."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext

from marketplace.models import CpvCode
from marketplace.selectors import buyer_municipality_for
from suppliers.forms.search import SupplierSearchForm
from suppliers.models import Size
from suppliers.search import Hit, Tier, search_firms
from suppliers.search.base import TIER_LABELS
from suppliers.selectors import cpv_codes_of

PAGE_SIZE = 20
SHOWN_ACTIVITIES = 4


@dataclass
class ResultRow:
    """A hit as the page shows it."""

    hit: Hit
    activities: list[tuple[CpvCode, bool]]  # (code, matched the search)
    more_activities: int

    @property
    def reason(self) -> str:
        """Where the firm is, beside its tier badge: 'Sliedrecht · regio Drechtsteden · 7,1 km'."""
        hit = self.hit
        parts = [hit.municipality_name]
        if hit.tier == Tier.REGION:
            parts.append(gettext("region %(name)s") % {"name": hit.region_name})
        if hit.distance_km is not None:
            parts.append(f"{formats.number_format(round(hit.distance_km, 1), 1)} km")
        return " · ".join(parts)


def supplier_search(request: HttpRequest) -> HttpResponse:
    """Search firms; a buyer's own municipality is the default context."""
    data = request.GET.copy()
    if "near" not in data:
        municipality = buyer_municipality_for(request.user)
        if municipality is not None:
            data["near"] = municipality.code
    form = SupplierSearchForm(data)
    page = _page_number(request)
    context: dict[str, object] = {"form": form}
    if form.is_valid():
        offset = (page - 1) * PAGE_SIZE
        query = form.search_query(limit=PAGE_SIZE, offset=offset, facets=True, activities=True)
        result = search_firms(query)
        context |= {
            "query": query,
            "result": result,
            "rows": _rows(result.hits),
            "result_start": query.offset + 1,
            "pages": _pages(result.count, page),
            "tier_summary": _tier_summary(result.tier_counts),
            "divisions": _divisions(request, result.facets.get("division", {})),
            "sizes": [(Size(k).label, n) for k, n in result.facets.get("size", {}).items()],
            "querystring": _querystring(request),
            "chosen_cpv": CpvCode.objects.filter(pk__in=query.cpv).order_by("code"),
        }
    return render(request, "suppliers/search.html", context)


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _rows(hits: list[Hit]) -> list[ResultRow]:
    codes = cpv_codes_of([hit.firm_id for hit in hits])
    rows = []
    for hit in hits:
        activities = [(code, code.code in hit.matched_cpv) for code in codes.get(hit.firm_id, [])]
        activities.sort(key=lambda item: not item[1])
        rows.append(
            ResultRow(
                hit=hit,
                activities=activities[:SHOWN_ACTIVITIES],
                more_activities=max(0, len(activities) - SHOWN_ACTIVITIES),
            )
        )
    return rows


def _pages(count: int, page: int) -> dict[str, object]:
    last = max(1, -(-count // PAGE_SIZE))
    page = min(page, last)
    window = range(max(1, page - 2), min(last, page + 2) + 1)
    return {"number": page, "last": last, "window": list(window), "has_other": last > 1}


def _tier_summary(tier_counts: dict[Tier, int]) -> list[tuple[Tier, str, int]]:
    return [(tier, TIER_LABELS[tier], tier_counts.get(tier, 0)) for tier in Tier]


def _divisions(request: HttpRequest, counts: dict[str, int]) -> list[tuple[CpvCode, int, str]]:
    """CPV divisions among the matches, most frequent first, each with a link narrowing to it."""
    labels = CpvCode.objects.in_bulk(list(counts))
    rows = []
    for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        if code not in labels:
            continue
        params = request.GET.copy()
        params.pop("page", None)
        params["cpv"] = code
        rows.append((labels[code], n, f"?{params.urlencode()}"))
    return rows


def _querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
