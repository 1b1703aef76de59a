"""The JSON API (django-ninja): the instance and the routes over the shared nouns.

Other apps add their routers in marketplace/urls.py. Schema at /api/openapi.json, docs at /api/docs.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpRequest
from ninja import NinjaAPI, Router, Schema
from pydantic import Field

from marketplace.models import CpvCode

api = NinjaAPI(
    title="Dichtbij API",
    version="1",
    description="Open data of Dichtbij, the local procurement marketplace.",
    urls_namespace="api",
)

reference = Router(tags=["reference data"])

# Larger offsets are refused with 422: a database cannot skip more rows than a 64-bit integer
# holds, and no list here comes near a million (issue 17.7).
MAX_OFFSET = 1_000_000
MUNICIPALITY_CODE_OR_EMPTY = r"^([Gg][Mm]\d{4})?$"  # lower case is read as upper


class ErrorOut(Schema):
    """Every error answer: ``detail`` is a message, or for a bad parameter the list of problems
    (each with ``loc``, ``msg`` and ``type``)."""

    detail: str | list[dict[str, Any]] = Field(
        description="What is wrong: a message, or one entry per bad parameter."
    )


BAD_PARAMETER = {422: ErrorOut}


class CpvOut(Schema):
    code: str
    full_code: str
    label: str


class CpvList(Schema):
    results: list[CpvOut]


@reference.get(
    "/cpv",
    response={200: CpvList, **BAD_PARAMETER},
    summary="Look up CPV codes by code or Dutch label",
)
def cpv_lookup(request: HttpRequest, q: str = "", limit: int = 10) -> dict:
    """CPV codes whose code starts with ``q`` or whose Dutch label has it; broad codes first."""
    text = q.strip()
    limit = max(1, min(limit, 50))
    if len(text) < 2:
        return {"results": []}
    digits = text.split("-")[0]
    condition = Q(code__startswith=digits) if digits.isdigit() else Q(label_nl__icontains=text)
    codes = (
        CpvCode.objects.filter(condition)
        .annotate(
            starts=Case(
                When(label_nl__istartswith=text, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("starts", "level", "code")[:limit]
    )
    return {
        "results": [{"code": c.code, "full_code": c.full_code, "label": c.label_nl} for c in codes]
    }


api.add_router("", reference)
