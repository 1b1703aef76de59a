"""The buyer's scores and exclusions, after the opening and before the award."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.models import User
from marketplace.services import audit_record
from tenders import evaluation
from tenders.models import (
    Quote,
    QuoteScore,
    Tender,
)
from tenders.models.award import (
    SCORE_OUT_OF_RANGE,
)
from tenders.services.award.guards import lock, require_buyer, require_opened

NOT_A_QUALITY_CRITERION = _("Only quality criteria of this tender get a score.")
NOT_A_CURRENT_QUOTE = _("This quote is not a current quote for this tender.")
EXCLUDE_REASON_REQUIRED = _("Say why the quote is excluded; the firm will read it.")


@transaction.atomic
def quote_scores_set(
    *, tender: Tender, by: User, scores: Mapping[tuple[int, int], Decimal | None]
) -> int:
    """Save the buyer's 0–10 scores, keyed by (quote id, criterion id); None clears a score.
    Returns how many scores changed."""
    require_buyer(by, tender)
    lock(tender)
    require_opened(tender)
    quality = {c.pk: c for c in tender.award_criteria.all() if not c.is_price}
    quotes = {q.pk: q for q in tender.quotes.filter(status=Quote.Status.SUBMITTED)}
    existing = {
        (s.quote_id, s.criterion_id): s
        for s in QuoteScore.objects.filter(quote__in=quotes.values())
    }
    changed: list[tuple[int, int]] = []
    for (quote_id, criterion_id), score in scores.items():
        if criterion_id not in quality:
            raise ValidationError(NOT_A_QUALITY_CRITERION, code="not_quality")
        if quote_id not in quotes:
            raise ValidationError(NOT_A_CURRENT_QUOTE, code="not_current")
        if score is not None and not Decimal(0) <= score <= evaluation.MAX_SCORE:
            raise ValidationError(SCORE_OUT_OF_RANGE, code="score_range")
        row = existing.get((quote_id, criterion_id))
        if score is None:
            if row is not None:
                row.delete()
                changed.append((quote_id, criterion_id))
        elif row is None:
            QuoteScore.objects.create(
                quote_id=quote_id, criterion_id=criterion_id, score=score, scored_by=by
            )
            changed.append((quote_id, criterion_id))
        elif row.score != score:
            row.score, row.scored_by, row.scored_at = score, by, timezone.now()
            row.save(update_fields=["score", "scored_by", "scored_at"])
            changed.append((quote_id, criterion_id))
    if changed:
        audit_record(
            action="evaluation.scored",
            actor=by,
            organisation=tender.buyer,
            obj=tender,
            details={
                "scores": [
                    {
                        "firm": quotes[quote_id].firm.name,
                        "criterion": quality[criterion_id].name,
                        "score": str(scores[(quote_id, criterion_id)])
                        if scores[(quote_id, criterion_id)] is not None
                        else None,
                    }
                    for quote_id, criterion_id in changed
                ]
            },
        )
    return len(changed)


@transaction.atomic
def quote_exclude(*, quote: Quote, by: User, reason: str) -> Quote:
    """Take a quote out of the ranking, with a reason the firm will read."""
    tender = quote.tender
    require_buyer(by, tender)
    lock(tender)
    require_opened(tender)
    quote.refresh_from_db()
    if quote.status != Quote.Status.SUBMITTED:
        raise ValidationError(NOT_A_CURRENT_QUOTE, code="not_current")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(EXCLUDE_REASON_REQUIRED)})
    quote.excluded_reason = reason
    quote.save(update_fields=["excluded_reason"])
    audit_record(
        action="quote.excluded",
        actor=by,
        organisation=tender.buyer,
        obj=tender,
        details={"receipt": quote.receipt_code, "firm": quote.firm.name, "reason": reason},
    )
    return quote
