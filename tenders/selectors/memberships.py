"""Who acts for whom on a tender: the buyers of its organisation, a municipality's
buyer-administrators, the firm a member acts for, and everyone who hears about its changes."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from marketplace.models import Membership, Municipality, Organisation, Role, User
from suppliers.models import Firm
from tenders.models import BUYER_ROLES, Quote, Tender


def buyer_organisations(user: User) -> list[Organisation]:
    """The buying organisations the user buys for, by name; 403 when there are none."""
    organisations = list(
        Organisation.objects.filter(
            kind=Organisation.Kind.BUYER,
            memberships__user=user,
            memberships__role__in=BUYER_ROLES,
        )
        .select_related("municipality")
        .order_by("name")
    )
    if not organisations:
        raise PermissionDenied
    return organisations


def is_tender_buyer(user: User, tender: Tender) -> bool:
    """True for buyers of the tender's organisation."""
    return (
        user.is_authenticated
        and user.is_active
        and Membership.objects.filter(
            user=user, organisation_id=tender.buyer_id, role__in=BUYER_ROLES
        ).exists()
    )


def posted_firm(firms: list[Firm], firm_pk: str | None) -> Firm:
    """The firm a member acts for on a form: the one posted among their ``firms``, or the only
    one when none was posted; 403 otherwise."""
    if not firm_pk and len(firms) == 1:
        return firms[0]
    for firm in firms:
        if str(firm.pk) == str(firm_pk):
            return firm
    raise PermissionDenied


def buyers_of(tender: Tender) -> list[User]:
    """The active buyers of the tender's organisation: who answers and who hears of problems."""
    user_ids = Membership.objects.filter(
        organisation_id=tender.buyer_id, role__in=BUYER_ROLES
    ).values("user_id")
    return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))


def firm_members(firm_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active members of each firm, by firm id (a firm's id is its organisation's)."""
    members: dict[int, list[User]] = {firm_id: [] for firm_id in firm_ids}
    rows = Membership.objects.filter(organisation_id__in=list(members), user__is_active=True)
    for membership in rows.select_related("user").order_by("organisation_id", "user_id"):
        members[membership.organisation_id].append(membership.user)
    return members


def buyer_admin_membership(user: User, municipality: Municipality) -> Membership | None:
    """The user's buyer-admin membership of a buying organisation of the municipality (the
    first by name), or None: buyer-admins change the municipality's policy."""
    if not user.is_authenticated or not user.is_active:
        return None
    return (
        Membership.objects.filter(
            user=user,
            role=Role.BUYER_ADMIN,
            organisation__kind=Organisation.Kind.BUYER,
            organisation__municipality=municipality,
        )
        .select_related("organisation")
        .order_by("organisation__name")
        .first()
    )


def tender_audience(tender: Tender) -> QuerySet[User]:
    """Everyone who hears about changes: members of invited firms, of firms following it and of
    firms with a current quote (so bidders hear of a cancellation after the opening, too)."""
    bidders = Quote.objects.filter(tender=tender, status=Quote.Status.SUBMITTED).values("firm_id")
    firm_ids = (
        Q(organisation__firm__tender_invitations__tender=tender)
        | Q(organisation__firm__followed_tenders__tender=tender)
        | Q(organisation_id__in=bidders)
    )
    user_ids = Membership.objects.filter(firm_ids).values("user_id")
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk")
