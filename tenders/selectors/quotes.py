"""Quotes as the pages and services read them: who may quote, whether a tender takes quotes,
which quote of a firm counts, and a firm's own tenders. Nothing here unseals (that is
``tenders.selectors.vault``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from suppliers.models import Firm
from tenders.models import Follow, Invitation, Quote, Status, Tender


def firm_may_quote(tender: Tender, firm: Firm) -> bool:
    """Any firm for an open procedure; for an invite-only one a firm whose invitation was sent."""
    if not tender.is_invite_only:
        return True
    return Invitation.objects.filter(tender=tender, firm=firm, sent_at__isnull=False).exists()


def current_quote(tender: Tender, firm: Firm) -> Quote | None:
    """The firm's quote that counts now (not replaced or withdrawn), if any."""
    return Quote.objects.filter(tender=tender, firm=firm, status=Quote.Status.SUBMITTED).first()


def current_quotes(tender: Tender) -> list[Quote]:
    """The quotes that count: one current quote per firm, in order of receipt."""
    return list(
        tender.quotes.filter(status=Quote.Status.SUBMITTED)
        .select_related("firm__organisation", "firm__municipality")
        .order_by("received_at", "pk")
    )


def accepts_quotes(tender: Tender, now: datetime | None = None) -> bool:
    """True while quotes are taken: recorded published and before the deadline (server time)."""
    now = now or timezone.now()
    return (
        tender.status == Status.PUBLISHED
        and tender.quote_deadline is not None
        and now < tender.quote_deadline
    )


def firm_tenders(firm: Firm) -> dict[str, Any]:
    """A firm's own tenders: its sent invitations (drafts left out), what it follows, its quotes
    newest first, and the outcome of each tender it quoted for that was awarded."""
    invitations = (
        Invitation.objects.filter(firm=firm, sent_at__isnull=False)
        .exclude(tender__status=Status.DRAFT)
        .select_related("tender__buyer")
        .order_by("-sent_at")
    )
    follows = Follow.objects.filter(firm=firm).select_related("tender__buyer")
    quotes = list(
        Quote.objects.filter(firm=firm)
        .select_related("tender__buyer", "tender__award")
        .order_by("-received_at")
    )
    outcomes = []
    seen: set[int] = set()
    for quote in quotes:
        tender = quote.tender
        award = getattr(tender, "award", None)
        if award is None or tender.pk in seen:
            continue
        seen.add(tender.pk)
        outcomes.append({"tender": tender, "won": award.firm_id == firm.pk, "award": award})
    return {
        "firm": firm,
        "invitations": invitations,
        "follows": follows,
        "quotes": quotes,
        "outcomes": outcomes,
    }
