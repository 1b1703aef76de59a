"""Reads with rules: who may act for which organisation.

Every view that shows or changes an organisation's data asks these helpers, so the answer is the
same everywhere and one test suite can target it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.text import slugify

from marketplace.models import (
    AuditEvent,
    AuditEventQuerySet,
    Membership,
    Municipality,
    Organisation,
    User,
)


def membership_of(user: User, organisation: Organisation) -> Membership | None:
    """The user's membership of the organisation, or None (also for anonymous users)."""
    if not user.is_authenticated or not user.is_active:
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def user_may_act_for(
    user: User, organisation: Organisation, roles: Iterable[str] | None = None
) -> bool:
    """True when the user is a member of the organisation, with one of ``roles`` if given."""
    membership = membership_of(user, organisation)
    if membership is None:
        return False
    return roles is None or membership.role in set(roles)


def require_membership(
    request: HttpRequest, organisation: Organisation, roles: Iterable[str] | None = None
) -> Membership:
    """The user's membership of the organisation: 404 for outsiders, 403 for a member without
    one of ``roles``. Every view that shows or changes an organisation's data goes through here."""
    membership = membership_of(request.user, organisation)
    if membership is None:
        # Outsiders learn nothing, not even that the organisation exists.
        raise Http404
    if roles is not None and membership.role not in set(roles):
        raise PermissionDenied
    return membership


def get_organisation_for_member(
    request: HttpRequest, slug: str, roles: Iterable[str] | None = None
) -> Organisation:
    """The organisation with this slug if the user is a member (see ``require_membership``)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    require_membership(request, organisation, roles)
    return organisation


def memberships_for(user: User) -> list[Membership]:
    """The user's memberships, organisation loaded, by organisation name."""
    if not user.is_authenticated:
        return []
    return list(Membership.objects.filter(user=user).select_related("organisation"))


def audit_events_for(organisation: Organisation) -> AuditEventQuerySet:
    """An organisation's own audit trail, newest first."""
    return AuditEvent.objects.for_organisation(organisation).select_related("actor")


def buyer_municipality_count() -> int:
    """How many municipalities have a buying organisation here."""
    return (
        Organisation.objects.filter(kind=Organisation.Kind.BUYER)
        .values("municipality")
        .distinct()
        .count()
    )


def buyer_municipality_for(user: User) -> Municipality | None:
    """The municipality a buyer buys for (their first buying organisation's), else None."""
    if not user.is_authenticated:
        return None
    membership = (
        Membership.objects.filter(user=user, organisation__kind=Organisation.Kind.BUYER)
        .select_related("organisation__municipality")
        .order_by("organisation__name")
        .first()
    )
    return membership.organisation.municipality if membership else None


def unique_slug(name: str) -> str:
    """A slug for a new organisation, numbered when the plain one is taken."""
    base = slugify(name)[:70] or "organisatie"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
