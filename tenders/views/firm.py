"""A firm's own tenders: where it is invited, what it follows, its quotes and their outcomes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from suppliers.models import Firm
from suppliers.selectors import firms_of
from tenders.models import Follow, Invitation, Quote, Status


@login_required
def firm_dashboard(request: HttpRequest) -> HttpResponse:
    """Per firm of the user: invitations (sent ones only), followed tenders, quotes, outcomes."""
    firms = firms_of(request.user)
    return render(
        request,
        "tenders/invitations/firm_dashboard.html",
        {"firms": [_firm_overview(firm) for firm in firms]},
    )


def _firm_overview(firm: Firm) -> dict[str, Any]:
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
