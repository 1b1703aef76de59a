"""GET /api/tenders (DESIGN §6): public tenders as open data, filtered like /tenders/."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from marketplace.api import BAD_PARAMETER, MAX_OFFSET, MUNICIPALITY_CODE_OR_EMPTY
from marketplace.models import CpvCode
from tenders.filters import TenderFilter
from tenders.selectors.visibility import public_tenders

router = Router(tags=["tenders"])

MAX_LIMIT = 100


class TenderFilters(Schema):
    q: str = Field("", description="Words that must all appear in title, description or reference.")
    status: Literal["", "open", "closed"] = Field(
        "", description="open: taking quotes now; closed: deadline passed or later."
    )
    cpv: str = Field("", description="CPV codes (comma-separated); each matches its subtree.")
    municipality: str = Field(
        "", pattern=MUNICIPALITY_CODE_OR_EMPTY, description="Place of performance, e.g. GM0505."
    )
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class TenderOut(Schema):
    id: int
    title: str
    buyer: str
    status: str
    procedure: str
    deadline: datetime | None
    cpv_codes: list[str]
    url: str


class TenderList(Schema):
    count: int
    results: list[TenderOut]


@router.get(
    "/tenders",
    response={200: TenderList, **BAD_PARAMETER},
    summary="List public tenders",
)
def tender_list(request: HttpRequest, filters: Query[TenderFilters]) -> dict:
    """Public tenders (never invite-only or drafts), open ones first by deadline."""
    data = {
        "q": filters.q,
        "status": filters.status,
        "cpv": filters.cpv,
        "municipality": filters.municipality.strip().upper(),
    }
    filterset = TenderFilter(data, queryset=public_tenders())
    if not filterset.is_valid():
        errors = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in filterset.errors.items()
        )
        raise HttpError(422, errors)
    tenders = filterset.qs
    page = (
        tenders.select_related("buyer", "main_cpv")
        .prefetch_related(Prefetch("additional_cpv", queryset=CpvCode.objects.order_by("code")))
        .all()[filters.offset : filters.offset + filters.limit]
    )
    return {
        "count": tenders.count(),
        "results": [
            {
                "id": tender.pk,
                "title": tender.title,
                "buyer": tender.buyer.name,
                "status": tender.effective_status,
                "procedure": tender.procedure,
                "deadline": tender.quote_deadline,
                "cpv_codes": _cpv_codes(tender),
                "url": request.build_absolute_uri(reverse("tenders:detail", args=[tender.pk])),
            }
            for tender in page
        ],
    }


def _cpv_codes(tender) -> list[str]:
    codes = [tender.main_cpv.full_code] if tender.main_cpv else []
    codes += [c.full_code for c in tender.additional_cpv.all() if c.pk != tender.main_cpv_id]
    return codes
