"""The ``tender`` section of a release, the buyer's party, and the documents and amendments as
they were at the release's date."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext

from tenders.models import AwardCriteriaType, ContractType, Procedure, Tender
from tenders.ocds.awards import number_of_tenderers
from tenders.ocds.codes import (
    AWARD_CRITERIA,
    LANGUAGE,
    PROCUREMENT_CATEGORY,
    PROCUREMENT_METHOD,
)
from tenders.ocds.events import ReleaseEvent
from tenders.ocds.fields import compact, iso, organisation_id, value


def buyer_party(tender: Tender) -> dict[str, Any]:
    organisation = tender.buyer
    municipality = organisation.municipality
    return compact(
        {
            "id": organisation_id(organisation.pk),
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
            "id": organisation_id(tender.buyer_id),
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
        "numberOfTenderers": number_of_tenderers(tender, event.date),
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
