"""How a past demo tender ended (``tenders.demo.history``): sealed quotes, the closing, the
opening of the vault, the ranking and award, and the contract, with their audit events and the
public changes. Written directly with past dates, as the services would have left them."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from marketplace import formats
from marketplace.models import AuditEvent, Organisation, User
from suppliers.models import Firm
from suppliers.search.base import Tier
from tenders import evaluation
from tenders.demo.history_plans import HistoryItem
from tenders.models import (
    Award,
    AwardCriteriaType,
    Contract,
    ProcurementPolicy,
    Quote,
    QuoteScore,
    Status,
    Tender,
    TenderChange,
    VaultOpening,
)
from tenders.selectors.award import ranking_snapshot
from tenders.selectors.vault import QuoteContents, sealed_contents
from tenders.services.award import AWARDED_SUMMARY, COMPLETED_SUMMARY
from tenders.services.award.decision import STANDSTILL_SUMMARY
from tenders.services.lifecycle import CLOSED_SUMMARY


@dataclass(frozen=True)
class Bidder:
    """A firm that may quote, with its tier seen from the buyer."""

    firm: Firm
    tier: Tier
    reason: str
    user: User | None


def at_local(day: date, hour: int, minute: int = 0) -> datetime:
    """That day at that time in the Netherlands."""
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_default_timezone())


def event_write(
    action: str,
    at: datetime,
    tender: Tender,
    *,
    by: User | None = None,
    label: str = "",
    org: Organisation | None = None,
    **details: object,
) -> None:
    """An audit event of the tender at a past moment (the buyer's unless ``org`` says otherwise)."""
    AuditEvent.objects.create(
        created_at=at,
        action=action,
        actor=by,
        actor_label=by.email if by is not None else label,
        organisation=org or tender.buyer,
        object_type=tender._meta.label_lower,
        object_id=str(tender.pk),
        object_repr=str(tender)[:200],
        details=details,
    )


def change_write(tender: Tender, kind: str, summary: str, at: datetime, by: User | None) -> None:
    """A public change of the tender at a past moment."""
    TenderChange.objects.create(
        tender=tender, kind=kind, summary=summary, created_by=by, created_at=at
    )


class Timeline:
    """The moments of one history tender, drawn around its quote deadline."""

    def __init__(self, rng: random.Random, deadline_day: date, four_eyes: bool) -> None:
        self.deadline = at_local(deadline_day, 12)
        self.question_deadline = at_local(deadline_day - timedelta(days=rng.randint(7, 10)), 12)
        publish_day = deadline_day - timedelta(days=rng.randint(21, 35))
        self.published = at_local(publish_day, rng.randint(9, 15), rng.choice((0, 15, 30, 45)))
        self.created = self.published - timedelta(days=rng.randint(2, 12), hours=rng.randint(0, 5))
        self.requested = at_local(deadline_day + timedelta(days=rng.randint(0, 2)), 14)
        self.opened = self.requested + timedelta(minutes=rng.randint(5, 90) if four_eyes else 0)
        self.scored = self.opened + timedelta(days=rng.randint(1, 4), hours=2)
        self.decided = self.scored + timedelta(days=rng.randint(1, 6))


def _quotes_write(
    tender: Tender, bidders: list[Bidder], rng: random.Random, line: Timeline
) -> list[tuple[Quote, Decimal]]:
    """One sealed quote per bidder, the first (the intended winner) with the lowest price."""
    value = tender.estimated_value
    prices: list[Decimal] = []
    for price in sorted(
        (value * Decimal(str(rng.uniform(0.78, 1.1)))).quantize(Decimal("10"))
        for _bidder in bidders
    ):
        # Strictly rising: the winner's price is the lowest, without a tie.
        prices.append(max(price, prices[-1] + 10) if prices else price)
    quotes = []
    for bidder, price in zip(bidders, prices, strict=True):  # the winner bids lowest
        received = line.deadline - timedelta(hours=rng.randint(2, 200), minutes=rng.randint(0, 59))
        receipt = "-".join(f"{rng.getrandbits(16):04X}" for _part in range(4))
        quote = Quote.objects.create(
            tender=tender,
            firm=bidder.firm,
            receipt_code=receipt,
            submitted_by=bidder.user,
            received_at=received,
            sealed=sealed_contents(
                tender=tender, firm_id=bidder.firm.pk, contents=QuoteContents(total=price)
            ),
        )
        quotes.append((quote, price))
        label = bidder.user.email if bidder.user else bidder.firm.email
        event_write(
            "quote.submitted",
            received,
            tender,
            by=bidder.user,
            label=label,
            org=bidder.firm.organisation,
            firm=bidder.firm.pk,
            receipt=receipt,
            files=0,
        )
    return quotes


def _ranking(
    tender: Tender,
    quotes: list[tuple[Quote, Decimal]],
    rng: random.Random,
    line: Timeline,
    by: User,
) -> evaluation.Ranking:
    """The buyer's scores and the ranking they give, as ``tenders.services.award`` computes it."""
    criteria = [
        evaluation.Criterion(c.pk, c.name, c.weight, c.is_price)
        for c in tender.award_criteria.all()
    ]
    scores = {}
    for position, (quote, _price) in enumerate(quotes):
        for criterion in criteria:
            if criterion.is_price:
                continue
            # The winner (first) also scores best on quality: its rank is beyond doubt.
            score = Decimal(9 if position == 0 else rng.randint(5, 8))
            scores[(quote.pk, criterion.id)] = score
            QuoteScore.objects.create(
                quote=quote,
                criterion_id=criterion.id,
                score=score,
                scored_by=by,
                scored_at=line.scored,
            )
    bids = [
        evaluation.Bid(q.pk, q.firm_id, q.firm.name, price, q.received_at) for q, price in quotes
    ]
    price_quality = tender.award_criteria_type == AwardCriteriaType.PRICE_QUALITY
    with translation.override(settings.LANGUAGE_CODE):
        return evaluation.rank(
            bids=bids, criteria=criteria, scores=scores, price_quality=price_quality
        )


def outcome_write(
    tender: Tender,
    item: HistoryItem,
    bidders: list[Bidder],
    people: list[User],
    rng: random.Random,
    line: Timeline,
) -> None:
    """Quotes, the closing at the deadline, the opening, and the award (with the contract) or the
    end without one, as the services would have written them."""
    by = people[0]
    second = people[1] if len(people) > 1 else None
    quotes = _quotes_write(tender, bidders, rng, line)
    with translation.override(settings.LANGUAGE_CODE):
        change_write(tender, TenderChange.Kind.CLOSED, str(CLOSED_SUMMARY), line.deadline, None)
    event_write("tender.closed", line.deadline, tender, quote_deadline=line.deadline.isoformat())

    four_eyes = second is not None
    VaultOpening.objects.create(
        tender=tender,
        requested_by=by,
        requested_at=line.requested,
        four_eyes=four_eyes,
        confirmed_by=second if four_eyes else by,
        opened_at=line.opened,
    )
    event_write("vault.opening_requested", line.requested, tender, by=by, four_eyes=four_eyes)
    if four_eyes:
        event_write(
            "vault.opening_confirmed", line.opened, tender, by=second, requested_by=by.email
        )
    event_write(
        "vault.opened",
        line.opened,
        tender,
        by=second or by,
        quotes=len(quotes),
        four_eyes=four_eyes,
    )
    with translation.override(settings.LANGUAGE_CODE):
        summary = ngettext(
            "The quotes were opened: %(count)s quote was received.",
            "The quotes were opened: %(count)s quotes were received.",
            len(quotes),
        ) % {"count": len(quotes)}
    change_write(tender, TenderChange.Kind.OPENED, summary, line.opened, second or by)

    if not quotes:
        reason = item.reason or "Er is geen offerte ontvangen."
        tender.status, tender.unsuccessful_reason = Status.UNSUCCESSFUL, reason
        tender.save(update_fields=["status", "unsuccessful_reason"])
        at = line.opened + timedelta(days=2)
        event_write("tender.unsuccessful", at, tender, by=by, reason=reason)
        change_write(tender, TenderChange.Kind.UNSUCCESSFUL, reason, at, by)
        return
    _award_write(tender, item, quotes, rng, line, by)


def _award_write(
    tender: Tender,
    item: HistoryItem,
    quotes: list[tuple[Quote, Decimal]],
    rng: random.Random,
    line: Timeline,
    by: User,
) -> None:
    """The award with its ranking, and for a completed item the contract."""
    ranking = _ranking(tender, quotes, rng, line, by)
    if any(c for c in ranking.criteria if not c.is_price):
        event_write("evaluation.scored", line.scored, tender, by=by, quotes=len(quotes))
    first = ranking.first
    winner = next(q for q, _price in quotes if q.pk == first.bid.quote_id)
    days = ProcurementPolicy.for_municipality(tender.buyer.municipality).standstill_days(
        tender.procedure
    )
    standstill = line.decided + timedelta(days=days) if days else None
    if first.points is None:
        motivation = (
            f"{winner.firm.name} biedt de laagste prijs en voldoet aan alle eisen van de uitvraag."
        )
    else:
        motivation = (
            f"{winner.firm.name} behaalt met {first.points} punten de hoogste score op de "
            "gepubliceerde criteria: de beste prijs en het sterkste plan van aanpak."
        )
    award = Award.objects.create(
        tender=tender,
        quote=winner,
        firm=winner.firm,
        value=first.price,
        motivation=motivation,
        ranking=ranking_snapshot(ranking),
        formula=ranking.formula,
        decided_by=by,
        decided_at=line.decided,
        standstill_until=standstill,
    )
    event_write(
        "tender.awarded",
        line.decided,
        tender,
        by=by,
        firm=winner.firm.name,
        receipt=winner.receipt_code,
        ranked=len(ranking.rows),
        excluded=0,
        standstill_until=standstill.isoformat() if standstill else None,
    )
    with translation.override(settings.LANGUAGE_CODE):
        value = formats.euro(award.value)
        lines = [gettext(AWARDED_SUMMARY) % {"firm": winner.firm.name, "value": value}]
        if standstill:
            lines.append(gettext(STANDSTILL_SUMMARY) % {"date": formats.moment(standstill)})
    change_write(tender, TenderChange.Kind.AWARDED, " ".join(lines), line.decided, by)
    tender.status = Status.AWARDED
    if item.outcome == "completed":
        signed = timezone.localdate(standstill or line.decided) + timedelta(days=rng.randint(2, 12))
        start = signed + timedelta(days=rng.randint(7, 30))
        recorded = at_local(signed, 15, rng.randint(0, 59))
        Contract.objects.create(
            tender=tender,
            award=award,
            firm=winner.firm,
            value=award.value,
            start_date=start,
            end_date=start + timedelta(days=rng.choice((90, 180, 365, 730, 1095))),
            signed_on=signed,
            recorded_by=by,
            recorded_at=recorded,
        )
        tender.status = Status.COMPLETED
        event_write(
            "tender.completed",
            recorded,
            tender,
            by=by,
            firm=winner.firm.name,
            value=str(award.value),
            start_date=start.isoformat(),
            signed_on=signed.isoformat(),
        )
        with translation.override(settings.LANGUAGE_CODE):
            summary = gettext(COMPLETED_SUMMARY) % {
                "firm": winner.firm.name,
                "date": formats.day(signed),
                "value": formats.euro(award.value),
            }
        change_write(tender, TenderChange.Kind.COMPLETED, summary, recorded, by)
    tender.save(update_fields=["status"])
