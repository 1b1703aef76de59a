"""Who may see which tender (DESIGN §4.3, issue 4): the one place these rules live.

- Anyone sees published (and later) tenders of the open procedures.
- Invite-only (onderhandse) tenders are for the buyer's organisation and the invited firms only;
  everyone else gets a 404 — on pages, the API, feeds and PDFs alike.
- Drafts and cancelled tenders are for the buyer's organisation only.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from marketplace.models import Membership, User
from marketplace.selectors import require_membership
from tenders.models import (
    BUYER_ROLES,
    PUBLIC_STATUSES,
    Invitation,
    Procedure,
    Tender,
    TenderQuerySet,
)

INVITE_ONLY_PROCEDURES = [p.value for p in Procedure if p.is_invite_only]


def public_tenders() -> TenderQuerySet:
    """What an anonymous visitor may see: published (or later) open-procedure tenders."""
    return Tender.objects.filter(status__in=PUBLIC_STATUSES).exclude(
        procedure__in=INVITE_ONLY_PROCEDURES
    )


def tenders_visible_to(user: User) -> TenderQuerySet:
    """Every tender the user may see, as one queryset without duplicates."""
    condition = Q(status__in=PUBLIC_STATUSES) & ~Q(procedure__in=INVITE_ONLY_PROCEDURES)
    if user.is_authenticated and user.is_active:
        buyer_ids = Membership.objects.filter(user=user, role__in=BUYER_ROLES).values(
            "organisation_id"
        )
        invited_ids = Invitation.objects.filter(firm__organisation__memberships__user=user).values(
            "tender_id"
        )
        condition |= Q(buyer_id__in=buyer_ids)
        condition |= Q(status__in=PUBLIC_STATUSES, pk__in=invited_ids)
    return Tender.objects.filter(condition)


def get_tender_for_viewer(user: User, pk: int) -> Tender:
    """The tender if the user may see it, else 404 (never 403: outsiders learn nothing)."""
    return get_object_or_404(
        tenders_visible_to(user).select_related("buyer", "main_cpv", "place_of_performance"),
        pk=pk,
    )


def get_tender_for_buyer(request: HttpRequest, pk: int) -> Tender:
    """A tender its buying organisation's buyers may manage: 404 for outsiders, 403 for members
    without a buyer role (see ``require_membership``)."""
    tender = get_object_or_404(
        Tender.objects.select_related("buyer", "main_cpv", "place_of_performance"), pk=pk
    )
    require_membership(request, tender.buyer, roles=BUYER_ROLES)
    return tender
