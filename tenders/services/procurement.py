"""A municipality's rules for invitations, opening quotes and the standstill period
(``ProcurementPolicy``): changing them, by its buyer-administrators."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from marketplace.models import Municipality, Organisation, Role, User
from marketplace.services import audit_record
from tenders.models import ProcurementPolicy
from tenders.selectors.memberships import buyer_admin_membership

MIN_LOCAL_ABOVE_INVITED = _("The number of local firms cannot be more than the firms to invite.")

POLICY_FIELDS = (
    "firms_to_invite",
    "min_local",
    "newcomer_slot",
    "rotation_limit",
    "four_eyes_opening",
    "standstill_days_european",
    "standstill_days_other",
)


@transaction.atomic
def procurement_policy_set(
    *, municipality: Municipality, by: User, **values: Any
) -> ProcurementPolicy:
    """Change the municipality's invitation, opening and standstill rules."""
    if buyer_admin_membership(by, municipality) is None:
        raise PermissionDenied
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"Not a policy field: {', '.join(sorted(unknown))}")
    policy = ProcurementPolicy.objects.select_for_update().filter(
        municipality=municipality
    ).first() or ProcurementPolicy(municipality=municipality)
    before = {name: getattr(policy, name) for name in POLICY_FIELDS}
    for name, value in values.items():
        setattr(policy, name, value)
    policy.full_clean()
    if policy.min_local > policy.firms_to_invite:
        raise ValidationError({"min_local": MIN_LOCAL_ABOVE_INVITED})
    changed = {
        name: [before[name], getattr(policy, name)]
        for name in POLICY_FIELDS
        if getattr(policy, name) != before[name]
    }
    if changed or policy.pk is None:
        policy.save()
    if changed:
        organisation = (
            Organisation.objects.filter(
                kind=Organisation.Kind.BUYER,
                municipality=municipality,
                memberships__user=by,
                memberships__role=Role.BUYER_ADMIN,
            )
            .order_by("pk")
            .first()
        )
        audit_record(
            action="procurement_policy.changed",
            actor=by,
            organisation=organisation,
            obj=policy,
            details={"municipality": municipality.code, "changed": changed},
        )
    return policy
