"""OCDS open data (DESIGN §6): a tender's release package and the feed of all public releases.

Both answer with OCDS 1.1.5 release packages (schemas in tenders/ocds_schema/).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field, field_validator

from marketplace.api import BAD_PARAMETER, MAX_OFFSET, ErrorOut
from tenders import ocds

router = Router(tags=["ocds"])

PACKAGE_DESCRIPTION = (
    "An OCDS 1.1.5 release package "
    "(https://standard.open-contracting.org/1.1/en/schema/release_package/)."
)


class FeedFilters(Schema):
    since: datetime | None = Field(
        None,
        description="ISO 8601 date and time, e.g. 2026-11-01T00:00:00Z (write + as %2B); "
        "without a zone it is Dutch time.",
    )
    page: int = Field(1, ge=1, le=MAX_OFFSET)

    @field_validator("since")
    @classmethod
    def _within_reach(cls, value: datetime | None) -> datetime | None:
        # Year 1 or 9999 cannot be moved to another zone; no release is older than 2000 anyway.
        if value is not None and not 2000 <= value.year <= 9000:
            raise ValueError("since must lie between the years 2000 and 9000")
        return value


@router.get(
    "/tenders/{tender_id}/ocds",
    response={200: dict[str, Any], 404: ErrorOut, **BAD_PARAMETER},
    url_name="ocds_tender",
    summary="A tender's OCDS releases",
    description=(
        "Every release of one tender as an OCDS 1.1.5 release package: at publication, at each "
        "change, and at cancellation or award. 404 for tenders that are not open data: drafts, "
        "and invite-only tenders until they are awarded. " + PACKAGE_DESCRIPTION
    ),
)
def tender_ocds(request: HttpRequest, tender_id: int) -> dict[str, Any]:
    tender = get_object_or_404(ocds.ocds_tenders(), pk=tender_id)
    uri = settings.SITE_URL + reverse("api:ocds_tender", kwargs={"tender_id": tender.pk})
    return ocds.tender_release_package(tender, uri=uri)


@router.get(
    "/ocds/releases",
    response={200: dict[str, Any], 404: ErrorOut, **BAD_PARAMETER},
    url_name="ocds_releases",
    summary="All public OCDS releases",
    description=(
        f"Every public release dated at or after `since`, oldest first, {ocds.RELEASES_PER_PAGE} "
        "per page; `links.next` points to the next page while there is one. To follow changes, "
        "ask again with `since` set to the date of the newest release you have. "
        + PACKAGE_DESCRIPTION
    ),
)
def ocds_releases(request: HttpRequest, filters: Query[FeedFilters]) -> dict[str, Any]:
    since, page = filters.since, filters.page
    if since is not None and timezone.is_naive(since):
        since = timezone.make_aware(since, ZoneInfo(settings.TIME_ZONE))
    result = ocds.release_feed(since=since, page=page)
    if page > 1 and not result.releases:
        raise Http404
    links = {}
    if result.has_next:
        links["next"] = feed_url(since, page + 1)
    if page > 1:
        links["prev"] = feed_url(since, page - 1)
    return ocds.release_package(
        result.releases,
        uri=feed_url(since, page),
        extensions=result.extensions,
        links=links,
    )


def feed_url(since: datetime | None, page: int) -> str:
    query = {}
    if since is not None:
        query["since"] = since.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if page > 1:
        query["page"] = str(page)
    path = reverse("api:ocds_releases")
    return settings.SITE_URL + path + (f"?{urlencode(query)}" if query else "")
