"""Reads over the supplier index, and who may see or change which firm."""

from __future__ import annotations

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from marketplace.models import CpvCode, Membership, Organisation, User
from marketplace.selectors import membership_of, require_membership
from suppliers.models import Firm, FirmInvitation, FirmInvitationQuerySet, FirmQuerySet

INVITATION_USED = _("This invitation has already been used.")
INVITATION_EXPIRED = _(
    "This invitation has expired. Ask the firm's administrator to send you a new one."
)
INVITATION_OTHER_EMAIL = _(
    "This invitation was sent to another e-mail address. Log in with that address to accept it."
)
INVITATION_ALREADY_MEMBER = _("You are already a member of this firm.")


def published_firm_count() -> int:
    """How many firms anyone can find."""
    return Firm.objects.published().count()


def firms_for_profile() -> FirmQuerySet:
    """Firms with everything their profile page shows, in few queries."""
    return Firm.objects.select_related(
        "organisation", "municipality__region", "postcode_area"
    ).prefetch_related("cpv_codes", "sbi_codes", "certifications")


def get_firm_for_visitor(request: HttpRequest, kvk_number: str) -> tuple[Firm, Membership | None]:
    """A published firm, or an unpublished one for its own members (a preview); else 404.

    Returns the firm and the visitor's membership of it (None for everyone else)."""
    firm = get_object_or_404(firms_for_profile(), kvk_number=kvk_number)
    membership = membership_of(request.user, firm.organisation)
    if not firm.published and membership is None:
        raise Http404
    return firm, membership


def get_firm_for_member(
    request: HttpRequest, kvk_number: str, roles: Iterable[str] | None = None
) -> tuple[Firm, Membership]:
    """The firm if the user is one of its members: 404 for outsiders (they learn nothing, not
    even that an unpublished firm exists), 403 for a member without one of ``roles``."""
    firm = get_object_or_404(firms_for_profile(), kvk_number=kvk_number)
    return firm, require_membership(request, firm.organisation, roles)


def firms_of(user: User) -> list[Firm]:
    """The firms this person acts for, by name."""
    if not user.is_authenticated:
        return []
    organisations = Organisation.objects.for_member(user).filter(kind=Organisation.Kind.FIRM)
    return list(Firm.objects.filter(organisation__in=organisations).select_related("organisation"))


def pending_invitations(organisation: Organisation) -> FirmInvitationQuerySet:
    """Invitations of this firm that were neither accepted nor expired, newest first."""
    return FirmInvitation.objects.filter(organisation=organisation).pending()


def get_invitation(token: str) -> FirmInvitation:
    """The invitation with this token, with its firm; 404 when there is none."""
    return get_object_or_404(
        FirmInvitation.objects.select_related("organisation__firm", "invited_by"), token=token
    )


def invitation_is_for(invitation: FirmInvitation, user: User) -> bool:
    """True when the invited address is the user's e-mail address or another verified one of
    theirs (case-insensitively)."""
    if not user.is_authenticated:
        return False
    invited = invitation.email.strip().lower()
    if user.email.lower() == invited:
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=invited, verified=True).exists()


def firm_invitation_refusal(invitation: FirmInvitation, user: User) -> ValidationError | None:
    """Why this user cannot accept this invitation (used, expired, meant for someone else, or
    they are a member already), as the error to show; None when they can."""
    if invitation.is_accepted:
        return ValidationError(INVITATION_USED, code="used")
    if invitation.is_expired:
        return ValidationError(INVITATION_EXPIRED, code="expired")
    if not invitation_is_for(invitation, user):
        return ValidationError(INVITATION_OTHER_EMAIL, code="other_email")
    if Membership.objects.filter(organisation=invitation.organisation, user=user).exists():
        return ValidationError(INVITATION_ALREADY_MEMBER, code="already_member")
    return None


def cpv_codes_of(firm_ids: Iterable[int]) -> dict[int, list[CpvCode]]:
    """Each firm's own CPV codes (by code), in one query: for a page of search results."""
    through = Firm.cpv_codes.through.objects.filter(firm_id__in=list(firm_ids))
    codes: dict[int, list[CpvCode]] = {}
    for row in through.select_related("cpvcode").order_by("cpvcode_id"):
        codes.setdefault(row.firm_id, []).append(row.cpvcode)
    return codes
