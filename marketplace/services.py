"""Rules that change the shared nouns: organisations, memberships and the audit log."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from marketplace.models import (
    ROLES_BY_KIND,
    AuditEvent,
    Membership,
    Municipality,
    Organisation,
    User,
)
from marketplace.selectors import unique_slug

ROLE_DOES_NOT_FIT = _("This role does not fit this kind of organisation.")
ALREADY_MEMBER = _("This person is already a member of this organisation.")
BUYER_NEEDS_MUNICIPALITY = _("A buying organisation needs a municipality.")


def audit_record(
    *,
    action: str,
    actor: User | None = None,
    organisation: Organisation | None = None,
    obj: models.Model | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit log."""
    actor_label = ""
    if actor is not None and actor.is_authenticated:
        actor_label = actor.email
    else:
        actor = None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_label=actor_label,
        organisation=organisation,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        details=details or {},
    )


@transaction.atomic
def organisation_create(
    *,
    name: str,
    kind: str,
    by: User | None,
    municipality: Municipality | None = None,
    slug: str | None = None,
) -> Organisation:
    """Create an organisation; its creator (if any) becomes its administrator."""
    if kind == Organisation.Kind.BUYER and municipality is None:
        raise ValidationError(BUYER_NEEDS_MUNICIPALITY)
    organisation = Organisation.objects.create(
        name=name, kind=kind, municipality=municipality, slug=slug or unique_slug(name)
    )
    audit_record(
        action="organisation.created", actor=by, organisation=organisation, obj=organisation
    )
    if by is not None:
        admin_role = ROLES_BY_KIND[kind][-1]
        membership_add(organisation=organisation, user=by, role=admin_role, by=by)
    return organisation


@transaction.atomic
def membership_add(
    *, organisation: Organisation, user: User, role: str, by: User | None
) -> Membership:
    """Give a person a role in an organisation."""
    if role not in ROLES_BY_KIND[organisation.kind]:
        raise ValidationError(ROLE_DOES_NOT_FIT)
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError(ALREADY_MEMBER)
    membership = Membership.objects.create(organisation=organisation, user=user, role=role)
    audit_record(
        action="membership.added",
        actor=by,
        organisation=organisation,
        obj=membership,
        details={"user": user.email, "role": role},
    )
    return membership
