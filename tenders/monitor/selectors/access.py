"""Who may import a municipality's spend: the administrators of its buying organisations."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from marketplace.models import Membership, Municipality, Organisation, Role, User


def get_municipality_for_spend_admin(request: HttpRequest, gm_code: str) -> Municipality:
    """The municipality if the user administers one of its buying organisations: 404 for
    everyone outside them, 403 for a buyer there without the administrator role."""
    municipality = get_object_or_404(Municipality, code=gm_code.upper())
    user = request.user
    if not user.is_authenticated or not user.is_active:
        raise Http404
    roles = set(
        Membership.objects.filter(
            user=user,
            organisation__kind=Organisation.Kind.BUYER,
            organisation__municipality=municipality,
        ).values_list("role", flat=True)
    )
    if not roles:
        raise Http404
    if Role.BUYER_ADMIN not in roles:
        raise PermissionDenied
    return municipality


def may_import_spend(user: User, municipality_code: str) -> bool:
    """True for an administrator of one of the municipality's buying organisations."""
    if not user.is_authenticated or not user.is_active:
        return False
    return Membership.objects.filter(
        user=user,
        role=Role.BUYER_ADMIN,
        organisation__kind=Organisation.Kind.BUYER,
        organisation__municipality_id=municipality_code,
    ).exists()
