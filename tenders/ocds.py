"""Open data: tenders as OCDS 1.1.5 releases and release packages (DESIGN §6, issue 4 item 8).

One release per recorded state of a tender: ``tender`` at publication, one per ``TenderChange``
(``tenderAmendment`` for a deadline extension or rectification, ``tenderUpdate`` for a new
document, published answers or closing, ``tenderCancellation``), and one more when the tender
reached a state no change records (unsuccessful, awarded, completed). Releases are built on demand
from the current rows: each carries the tender as it is now, with its status, documents and
amendments as they were at that release's date. The schemas are in tenders/ocds_schema/.

Open-procedure tenders are public from publication on, also once cancelled; invite-only
(onderhandse) tenders only once awarded (DESIGN §4.3).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tenders.models import (
    AwardCriteriaType,
    ContractType,
    Procedure,
    Question,
    Status,
    Tender,
    TenderChange,
    TenderQuerySet,
)
from tenders.selectors import INVITE_ONLY_PROCEDURES

OCDS_VERSION = "1.1"
LANGUAGE = "nl"
CURRENCY = "EUR"
# Open government data in the Netherlands is published under CC0 by default.
LICENSE_URL = "https://creativecommons.org/publicdomain/zero/1.0/"
LOTS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/"
    "ocds_lots_extension/v1.1.5/extension.json"
)
PAGINATION_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/"
    "ocds_pagination_extension/master/extension.json"
)
RELEASES_PER_PAGE = 100

# The tenderStatus codelist: closed and opened tenders are still being decided ("active");
# awarded and completed ones are "complete".
TENDER_STATUS = {
    Status.DRAFT: "planning",
    Status.PUBLISHED: "active",
    Status.CLOSED: "active",
    Status.OPENED: "active",
    Status.AWARDED: "complete",
    Status.COMPLETED: "complete",
    Status.CANCELLED: "cancelled",
    Status.UNSUCCESSFUL: "unsuccessful",
}
# The method codelist: a single-quote procedure asks one firm ("direct"), a multiple-quote one
# a few firms of the buyer's choice ("limited").
PROCUREMENT_METHOD = {
    Procedure.SINGLE: "direct",
    Procedure.MULTIPLE: "limited",
    Procedure.NATIONAL: "open",
    Procedure.EUROPEAN: "open",
}
PROCUREMENT_CATEGORY = {
    ContractType.WORKS: "works",
    ContractType.SUPPLIES: "goods",
    ContractType.SERVICES: "services",
    ContractType.SOCIAL: "services",
}
AWARD_CRITERIA = {
    AwardCriteriaType.LOWEST_PRICE: "priceOnly",
    AwardCriteriaType.PRICE_QUALITY: "ratedCriteria",
}
CHANGE_TAG = {
    TenderChange.Kind.EXTENDED: "tenderAmendment",
    TenderChange.Kind.RECTIFIED: "tenderAmendment",
    TenderChange.Kind.DOCUMENT: "tenderUpdate",
    TenderChange.Kind.ANSWERS: "tenderUpdate",
    TenderChange.Kind.CLOSED: "tenderUpdate",
    TenderChange.Kind.CANCELLED: "tenderCancellation",
}


@dataclass(frozen=True)
class ReleaseEvent:
    """When a release happened and what it says, before its contents are built."""

    id: str
    date: datetime
    tag: str
    status: str
    change: TenderChange | None = None


def ocid(tender: Tender) -> str:
    """The Open Contracting ID: the configured prefix and the tender's reference."""
    return f"{settings.OCDS_OCID_PREFIX}-{tender.reference}"


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
        "buyer__municipality__province", "main_cpv", "place_of_performance"
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
    )


def release_events(tender: Tender) -> list[ReleaseEvent]:
    """The tender's releases in order (uses the prefetched ``changes`` when there)."""
    prefix = ocid(tender)
    events = [ReleaseEvent(f"{prefix}-tender", tender.published_at, "tender", "active")]
    for change in sorted(tender.changes.all(), key=lambda c: (c.created_at, c.pk)):
        if change.kind == TenderChange.Kind.PUBLISHED:
            continue  # the "tender" release is the publication
        status = "cancelled" if change.kind == TenderChange.Kind.CANCELLED else "active"
        tag = CHANGE_TAG.get(change.kind, "tenderUpdate")
        events.append(
            ReleaseEvent(f"{prefix}-change-{change.pk}", change.created_at, tag, status, change)
        )
    current = TENDER_STATUS[Status(tender.status)]
    if current != events[-1].status:
        reached = tender.cancelled_at if tender.cancelled_at else tender.updated_at
        date = max(reached, events[-1].date)
        tag = "tenderCancellation" if current == "cancelled" else "tenderUpdate"
        events.append(ReleaseEvent(f"{prefix}-{current}", date, tag, current))
    return events


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
    return {
        "ocid": ocid(tender),
        "id": event.id,
        "date": iso(event.date),
        "tag": [event.tag],
        "initiationType": "tender",
        "language": LANGUAGE,
        "parties": [party],
        "buyer": {"id": party["id"], "name": party["name"]},
        "tender": tender_section(tender, event, history),
    }


def buyer_party(tender: Tender) -> dict[str, Any]:
    organisation = tender.buyer
    municipality = organisation.municipality
    return compact(
        {
            "id": f"dichtbij-organisation-{organisation.pk}",
            "name": organisation.name,
            "roles": ["buyer", "procuringEntity"],
            "address": {
                "locality": municipality.name if municipality else None,
                "region": municipality.province.name if municipality else None,
                "countryName": "Nederland",
            },
            "contactPoint": {"name": tender.contact_name, "email": tender.contact_email},
        }
    )


def tender_section(
    tender: Tender, event: ReleaseEvent, history: list[ReleaseEvent]
) -> dict[str, Any]:
    lots = sorted(tender.lots.all(), key=lambda lot: lot.number)
    procedure = Procedure(tender.procedure) if tender.procedure else None
    section = {
        "id": tender.reference,
        "title": tender.title,
        "description": tender.description,
        "status": event.status,
        "procuringEntity": {
            "id": f"dichtbij-organisation-{tender.buyer_id}",
            "name": tender.buyer.name,
        },
        "items": items(tender, lots),
        "procurementMethod": PROCUREMENT_METHOD[procedure] if procedure else None,
        "procurementMethodDetails": str(procedure.label) if procedure else None,
        "mainProcurementCategory": PROCUREMENT_CATEGORY[ContractType(tender.contract_type)],
        "awardCriteria": AWARD_CRITERIA.get(tender.award_criteria_type),
        "awardCriteriaDetails": award_criteria_details(tender),
        "submissionMethod": ["electronicSubmission"],
        "submissionMethodDetails": "Dichtbij",
        "tenderPeriod": {
            "startDate": iso(tender.published_at),
            "endDate": iso(tender.quote_deadline),
        },
        "enquiryPeriod": {
            "startDate": iso(tender.published_at),
            "endDate": iso(tender.question_deadline),
        },
        "hasEnquiries": any(q.asked_at <= event.date for q in tender.questions.all()),
        "documents": documents(tender, event.date),
        "amendments": amendments(history),
        "lots": [
            compact(
                {
                    "id": lot_id(lot),
                    "title": lot.title,
                    "description": lot.description,
                    "status": event.status,
                    "value": value(lot.estimated_value),
                }
            )
            for lot in lots
        ],
    }
    section.update(tender_values(tender))
    return compact(section)


def tender_values(tender: Tender) -> dict[str, Any]:
    """``value`` (the top of a range), and ``minValue`` for a range."""
    low, high = tender.estimated_value_min, tender.estimated_value_max
    if high is None or high == low:
        return {"value": value(low)}
    return {"value": value(high), "minValue": value(low)}


def items(tender: Tender, lots: list) -> list[dict[str, Any]]:
    """One item per lot (or one for the tender), classified by the CPV codes."""
    main = tender.main_cpv
    extra = sorted((c for c in tender.additional_cpv.all() if c != main), key=lambda c: c.code)
    common = {
        "classification": classification(main) if main else None,
        "additionalClassifications": [classification(c) for c in extra],
    }
    if not lots:
        return [compact({"id": "1", "description": tender.title, **common})]
    return [
        compact(
            {"id": str(lot.number), "description": lot.title, **common, "relatedLot": lot_id(lot)}
        )
        for lot in lots
    ]


def classification(code) -> dict[str, str]:
    return {"scheme": "CPV", "id": code.code, "description": code.label_nl}


def lot_id(lot) -> str:
    return f"lot-{lot.number}"


def award_criteria_details(tender: Tender) -> str | None:
    """In Dutch, e.g. "Beste prijs-kwaliteitverhouding: Prijs 40%, Kwaliteit 60%"."""
    if not tender.award_criteria_type:
        return None
    label = str(AwardCriteriaType(tender.award_criteria_type).label)
    criteria = sorted(tender.award_criteria.all(), key=lambda c: (c.position, c.pk))
    if tender.award_criteria_type != AwardCriteriaType.PRICE_QUALITY or not criteria:
        return label
    return f"{label}: " + ", ".join(f"{c.name} {c.weight}%" for c in criteria)


def documents(tender: Tender, at: datetime) -> list[dict[str, Any]]:
    """The notice, the nota van inlichtingen and the uploaded PDFs as they were at ``at``.
    An invite-only tender's files are only for its invited firms: listed without a link."""
    public = not tender.is_invite_only
    site = settings.SITE_URL
    result = [
        {
            "id": "notice",
            "documentType": "tenderNotice",
            "title": gettext("Tender notice"),
            "url": site + reverse("tenders:notice_pdf", args=[tender.pk]) if public else None,
            "datePublished": iso(tender.published_at),
            "format": "application/pdf",
            "language": LANGUAGE,
        }
    ]
    if tender.tenderned_url:
        result.append(
            {
                "id": "tenderned",
                "documentType": "tenderNotice",
                "title": gettext("Tender notice on TenderNed"),
                "url": tender.tenderned_url,
                "format": "text/html",
                "language": LANGUAGE,
            }
        )
    answered = sorted(
        q.published_at for q in tender.questions.all() if q.published_at and q.published_at <= at
    )
    if answered:
        url = site + reverse("tenders:clarification_pdf", args=[tender.pk])
        result.append(
            {
                "id": "clarifications",
                "documentType": "clarifications",
                "title": gettext("Clarification notice"),
                "url": url if public else None,
                "datePublished": iso(answered[0]),
                "dateModified": iso(answered[-1]),
                "format": "application/pdf",
                "language": LANGUAGE,
            }
        )
    for document in sorted(tender.documents.all(), key=lambda d: (d.uploaded_at, d.pk)):
        if document.uploaded_at > at:
            continue
        url = site + reverse("tenders:document", args=[tender.pk, document.pk])
        result.append(
            {
                "id": f"document-{document.pk}",
                "documentType": "biddingDocuments",
                "title": document.title,
                "url": url if public else None,
                "datePublished": iso(max(document.uploaded_at, tender.published_at)),
                "format": "application/pdf",
                "language": LANGUAGE,
            }
        )
    return [compact(d) for d in result]


def amendments(history: list[ReleaseEvent]) -> list[dict[str, Any]]:
    """The formal changes (extensions, rectifications) up to and including the last event."""
    result = []
    for previous, event in zip(history, history[1:], strict=False):
        if event.tag != "tenderAmendment" or event.change is None:
            continue
        result.append(
            {
                "id": str(event.change.pk),
                "date": iso(event.date),
                "rationale": str(event.change.get_kind_display()),
                "description": event.change.summary,
                "amendsReleaseID": previous.id,
                "releaseID": event.id,
            }
        )
    return result


def value(amount: Decimal | None) -> dict[str, Any] | None:
    """An OCDS Value: a JSON number (never a string) in euros."""
    if amount is None:
        return None
    number = int(amount) if amount == amount.to_integral_value() else float(amount)
    return {"amount": number, "currency": CURRENCY}


def iso(moment: datetime | None) -> str | None:
    """RFC 3339 in UTC to the second, e.g. "2027-03-12T13:00:00Z"."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """Without empty fields: OCDS asks to omit what is unknown rather than send nulls."""
    result = {}
    for key, item in data.items():
        if isinstance(item, dict):
            item = compact(item)
        if item is None or item in ("", [], {}):
            continue
        result[key] = item
    return result
