"""Release packages: one tender's releases, and the paged feed of every public release."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import translation

from tenders.models import Question, Quote, Status, Tender, TenderChange, TenderQuerySet
from tenders.ocds.awards import award_at, awards, contracts, supplier_party
from tenders.ocds.codes import (
    LANGUAGE,
    LICENSE_URL,
    LOTS_EXTENSION,
    OCDS_VERSION,
    PAGINATION_EXTENSION,
    RELEASES_PER_PAGE,
)
from tenders.ocds.events import ReleaseEvent, release_events
from tenders.ocds.fields import compact, iso, ocid
from tenders.ocds.tender import buyer_party, tender_section
from tenders.selectors.visibility import INVITE_ONLY_PROCEDURES


def ocds_tenders() -> TenderQuerySet:
    """Tenders whose releases are public: published open-procedure tenders (cancelled ones
    too), and invite-only tenders once awarded."""
    return (
        Tender.objects.exclude(status=Status.DRAFT)
        .filter(published_at__isnull=False)
        .filter(
            ~Q(procedure__in=INVITE_ONLY_PROCEDURES)
            | Q(status__in=[Status.AWARDED, Status.COMPLETED])
        )
    )


def with_release_data(tenders: TenderQuerySet) -> TenderQuerySet:
    """The queryset with everything a release needs, in a fixed number of queries."""
    return tenders.select_related(
        "buyer__municipality__province",
        "main_cpv",
        "place_of_performance",
        "vault_opening",
        "award__firm__organisation",
        "award__firm__municipality",
        "award__contract",
    ).prefetch_related(
        "additional_cpv",
        "lots",
        "award_criteria",
        "documents",
        Prefetch("changes", queryset=TenderChange.objects.order_by("created_at", "pk")),
        Prefetch(
            "questions",
            queryset=Question.objects.only("id", "tender_id", "asked_at", "published_at"),
        ),
        Prefetch(
            "quotes",
            queryset=Quote.objects.filter(status=Quote.Status.SUBMITTED).only("id", "tender_id"),
            to_attr="current_quotes",
        ),
    )


def tender_release_package(tender: Tender, *, uri: str) -> dict[str, Any]:
    """Every release of one tender, as a release package."""
    tender = with_release_data(Tender.objects.filter(pk=tender.pk)).get()
    releases = tender_releases(tender)
    return release_package(releases, uri=uri, extensions=extensions_for([tender]))


def tender_releases(tender: Tender, only: set[str] | None = None) -> list[dict[str, Any]]:
    """The tender's releases (those whose id is in ``only``, when given)."""
    events = release_events(tender)
    with translation.override(LANGUAGE):
        return [
            release(tender, event, events[: index + 1])
            for index, event in enumerate(events)
            if only is None or event.id in only
        ]


@dataclass(frozen=True)
class FeedPage:
    releases: list[dict[str, Any]]
    has_next: bool
    extensions: list[str]


def release_feed(*, since: datetime | None, page: int) -> FeedPage:
    """One page of every public release dated at or after ``since``, oldest first (ties by
    release id), so the pages of a given ``since`` only ever grow at the end."""
    tenders = ocds_tenders()
    if since is not None:
        tenders = tenders.filter(
            Q(published_at__gte=since)
            | Q(updated_at__gte=since)
            | Q(cancelled_at__gte=since)
            | Q(changes__created_at__gte=since)
        ).distinct()
    index = tenders.order_by("pk").only(
        "id", "reference", "status", "procedure", "published_at", "updated_at", "cancelled_at"
    )
    index = index.prefetch_related(
        Prefetch(
            "changes", queryset=TenderChange.objects.only("id", "tender_id", "kind", "created_at")
        )
    )
    events = [
        (event.date, event.id, tender.pk)
        for tender in index
        for event in release_events(tender)
        if since is None or event.date >= since
    ]
    events.sort()
    start = (page - 1) * RELEASES_PER_PAGE
    chosen = events[start : start + RELEASES_PER_PAGE]
    wanted: dict[int, set[str]] = {}
    for _date, release_id, tender_pk in chosen:
        wanted.setdefault(tender_pk, set()).add(release_id)
    full = list(with_release_data(Tender.objects.filter(pk__in=wanted)))
    by_id = {
        item["id"]: item
        for tender in full
        for item in tender_releases(tender, only=wanted[tender.pk])
    }
    return FeedPage(
        releases=[by_id[release_id] for _date, release_id, _pk in chosen],
        has_next=len(events) > start + RELEASES_PER_PAGE,
        extensions=extensions_for(full),
    )


def extensions_for(tenders: Iterable[Tender]) -> list[str]:
    """The OCDS extensions these tenders' releases use."""
    return [LOTS_EXTENSION] if any(t.lots.all() for t in tenders) else []


def release_package(
    releases: list[dict[str, Any]],
    *,
    uri: str,
    extensions: list[str] | None = None,
    links: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Releases with the package's metadata; published when its newest release was."""
    latest = max((r["date"] for r in releases), default=None)
    package: dict[str, Any] = {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": latest or iso(datetime.now(UTC)),
        "publisher": {"name": "Dichtbij", "uri": settings.SITE_URL + "/"},
        "license": LICENSE_URL,
        "releases": releases,
    }
    extensions = list(extensions or [])
    if links:
        package["links"] = links
        extensions.append(PAGINATION_EXTENSION)
    if extensions:
        package["extensions"] = extensions
    return package


def release(tender: Tender, event: ReleaseEvent, history: list[ReleaseEvent]) -> dict[str, Any]:
    """One release: the tender as it is now, with its state at ``event``."""
    party = buyer_party(tender)
    award = award_at(tender, event.date)
    parties = [party] if award is None else [party, supplier_party(award)]
    return compact(
        {
            "ocid": ocid(tender),
            "id": event.id,
            "date": iso(event.date),
            "tag": [event.tag],
            "initiationType": "tender",
            "language": LANGUAGE,
            "parties": parties,
            "buyer": {"id": party["id"], "name": party["name"]},
            "tender": tender_section(tender, event, history),
            "awards": awards(tender, event.date),
            "contracts": contracts(tender, event.date),
        }
    )
