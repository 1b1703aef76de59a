"""Reading the evaluation and award: the computed ranking, the ranking kept with the award, the
standstill period, and what the tender's page and the award notice show of the outcome."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet

from tenders import evaluation
from tenders.models import (
    Award,
    AwardCriteriaType,
    Contract,
    ProcurementPolicy,
    QuoteScore,
    Status,
    Tender,
)
from tenders.selectors.quotes import current_quotes
from tenders.selectors.vault import quote_contents


def tender_ranking(tender: Tender) -> evaluation.Ranking:
    """The ranking of an opened tender's quotes by its published criteria (``VaultSealed``
    before the opening)."""
    price_quality = tender.award_criteria_type == AwardCriteriaType.PRICE_QUALITY
    criteria = [
        evaluation.Criterion(c.pk, c.name, c.weight, c.is_price)
        for c in tender.award_criteria.order_by("position", "pk")
    ]
    bids = []
    for quote in current_quotes(tender):
        contents = quote_contents(quote)
        bids.append(
            evaluation.Bid(
                quote_id=quote.pk,
                firm_id=quote.firm_id,
                firm_name=quote.firm.name,
                price=contents.total,
                received_at=quote.received_at,
                lots=contents.lots,
                excluded_reason=quote.excluded_reason,
            )
        )
    scores = {
        (s.quote_id, s.criterion_id): s.score
        for s in QuoteScore.objects.filter(quote__tender=tender, quote__status="submitted")
    }
    return evaluation.rank(bids=bids, criteria=criteria, scores=scores, price_quality=price_quality)


def ranking_snapshot(ranking: evaluation.Ranking) -> list[dict]:
    """The ranking as kept with the award decision (JSON: amounts as strings)."""
    names = {c.id: c.name for c in ranking.criteria}
    rows = [
        {
            "quote": row.bid.quote_id,
            "firm": row.bid.firm_id,
            "firm_name": row.firm_name,
            "rank": row.rank,
            "price": str(row.price),
            "points": None if row.points is None else str(row.points),
            "parts": {names[cid]: str(points) for cid, points in row.parts.items()},
        }
        for row in ranking.rows
    ]
    rows += [
        {
            "quote": bid.quote_id,
            "firm": bid.firm_id,
            "firm_name": bid.firm_name,
            "rank": None,
            "price": str(bid.price),
            "points": None,
            "parts": {},
            "excluded": bid.excluded_reason,
        }
        for bid in ranking.excluded
    ]
    return rows


def award_of(tender: Tender) -> Award | None:
    """The tender's award decision, with its firm, if there is one."""
    return (
        Award.objects.filter(tender=tender)
        .select_related("firm__organisation", "firm__municipality")
        .first()
    )


def contract_of(award: Award | None) -> Contract | None:
    """The contract recorded for an award, if any."""
    if award is None:
        return None
    return Contract.objects.filter(award=award).first()


def contracts_counted() -> QuerySet[Contract]:
    """The contracts the local-spend monitor counts: every signed contract whose tender was not
    cancelled (DESIGN §4.7)."""
    return Contract.objects.exclude(tender__status=Status.CANCELLED)


def award_summary(award: Award) -> dict:
    """What the award notice and the tender's page show of a decision (no other bidder named)."""
    firm = award.firm
    contract = contract_of(award)
    return {
        "award": award,
        "winner": firm,
        "winner_place": firm.place or firm.municipality.name,
        "quotes_received": len(award.ranking),
        "contract": contract,
    }


def standstill_end(tender: Tender, now: datetime) -> datetime | None:
    """When the standstill period of an award decided ``now`` would end (None: no period)."""
    days = ProcurementPolicy.for_municipality(tender.buyer.municipality).standstill_days(
        tender.procedure
    )
    return now + timedelta(days=days) if days else None
