"""The outcome in a release (DESIGN §4.7): ``awards`` from the award decision on, ``contracts``
once the contract is recorded, the winner as a ``supplier`` party, and the number of tenderers
once the quotes are opened. Other bidders are never named."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from tenders.models import Award, Contract, Quote, Tender
from tenders.ocds.fields import compact, iso, iso_date, organisation_id, value


def related(obj: Any, name: str) -> Any:
    """A reverse one-to-one (selected with the tender), or None when there is none."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def award_at(tender: Tender, at: datetime) -> Award | None:
    award = related(tender, "award")
    return award if award is not None and award.decided_at <= at else None


def contract_at(award: Award | None, at: datetime) -> Contract | None:
    contract = related(award, "contract") if award is not None else None
    return contract if contract is not None and contract.recorded_at <= at else None


def number_of_tenderers(tender: Tender, at: datetime) -> int | None:
    """How many firms quoted, from the opening of the quotes on (never before: DESIGN §4.5)."""
    opening = related(tender, "vault_opening")
    if opening is None or opening.opened_at is None or opening.opened_at > at:
        return None
    quotes = getattr(tender, "current_quotes", None)  # prefetched by with_release_data
    if quotes is None:
        quotes = tender.quotes.filter(status=Quote.Status.SUBMITTED)
    return len(quotes)


def supplier_party(award: Award) -> dict[str, Any]:
    """The winner, identified by its KvK number."""
    firm = award.firm
    return compact(
        {
            "id": organisation_id(firm.organisation_id),
            "name": firm.name,
            "identifier": {"scheme": "NL-KVK", "id": firm.kvk_number, "legalName": firm.name},
            "roles": ["supplier"],
            "address": {
                "locality": firm.place or firm.municipality.name,
                "postalCode": firm.postcode,
                "countryName": "Nederland",
            },
        }
    )


def award_id(award: Award) -> str:
    return f"award-{award.pk}"


def awards(tender: Tender, at: datetime) -> list[dict[str, Any]]:
    """The award decision as it stood at ``at``: pending during the standstill period."""
    award = award_at(tender, at)
    if award is None:
        return []
    settled = (
        award.standstill_until is None
        or award.standstill_until <= at
        or contract_at(award, at) is not None
    )
    return [
        compact(
            {
                "id": award_id(award),
                "title": tender.title,
                "description": award.motivation,
                "status": "active" if settled else "pending",
                "date": iso(award.decided_at),
                "value": value(award.value),
                "suppliers": [{"id": organisation_id(award.firm_id), "name": award.firm.name}],
            }
        )
    ]


def contracts(tender: Tender, at: datetime) -> list[dict[str, Any]]:
    """The signed contract, once recorded."""
    award = award_at(tender, at)
    contract = contract_at(award, at)
    if contract is None:
        return []
    return [
        compact(
            {
                "id": f"contract-{contract.pk}",
                "awardID": award_id(award),
                "title": tender.title,
                "status": "active",
                "value": value(contract.value),
                "period": {
                    "startDate": iso_date(contract.start_date),
                    "endDate": iso_date(contract.end_date),
                },
                "dateSigned": iso_date(contract.signed_on),
            }
        )
    ]
