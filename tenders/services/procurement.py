"""A municipality's procurement rules, changed by its buyer-administrators: the policy bands
(which procedure up to which value, ``PolicyBand``) and the rules for invitations, opening quotes
and the standstill period (``ProcurementPolicy``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from marketplace.models import Municipality, Organisation, Role, User
from marketplace.services import audit_record
from tenders.models import ContractType, PolicyBand, Procedure, ProcurementPolicy
from tenders.policy import Band, own_policy_bands, policy_bands_check
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
    pending = _four_eyes_off(policy, before["four_eyes_opening"], by)
    policy.full_clean()
    if policy.min_local > policy.firms_to_invite:
        raise ValidationError({"min_local": MIN_LOCAL_ABOVE_INVITED})
    changed = {
        name: [before[name], getattr(policy, name)]
        for name in POLICY_FIELDS
        if getattr(policy, name) != before[name]
    }
    if changed or pending or policy.pk is None:
        policy.save()
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
    if pending:
        audit_record(
            action=pending,
            actor=by,
            organisation=organisation,
            obj=policy,
            details={"municipality": municipality.code},
        )
        _tell_buyers(municipality, pending, by)
    if changed:
        audit_record(
            action="procurement_policy.changed",
            actor=by,
            organisation=organisation,
            obj=policy,
            details={"municipality": municipality.code, "changed": changed},
        )
    return policy


def _four_eyes_off(policy: ProcurementPolicy, was_on: bool, by: User) -> str:
    """Switching four-eyes opening off takes two administrators: the first asks (the policy stays
    on), a different one approves by switching it off too. Switching it on applies at once and
    drops a pending request. Returns the audit action of what happened, or ""."""
    if policy.four_eyes_opening:
        withdrawn = policy.four_eyes_off_requested_by_id is not None
        policy.four_eyes_off_requested_by = None
        return "procurement_policy.four_eyes_off_withdrawn" if withdrawn else ""
    if not was_on:
        return ""
    requested_by = policy.four_eyes_off_requested_by_id
    if requested_by is not None and requested_by != by.pk:
        policy.four_eyes_off_requested_by = None
        return "procurement_policy.four_eyes_off_approved"
    policy.four_eyes_opening = True
    if requested_by == by.pk:
        return ""
    policy.four_eyes_off_requested_by = by
    return "procurement_policy.four_eyes_off_requested"


FOUR_EYES_MAILS = {
    "procurement_policy.four_eyes_off_requested": (
        _("Request: open quotes without a second buyer"),
        _(
            "%(who)s asked to switch four-eyes opening off for %(municipality)s. It only takes "
            "effect when another administrator approves it, and then only for tenders published "
            "afterwards. Not expected? Switch it back on in the invitation rules."
        ),
    ),
    "procurement_policy.four_eyes_off_approved": (
        _("Four-eyes opening is off"),
        _(
            "%(who)s approved switching four-eyes opening off for %(municipality)s. Tenders "
            "published from now on can be opened by one buyer; tenders already published keep "
            "needing two."
        ),
    ),
    "procurement_policy.four_eyes_off_withdrawn": (
        _("Four-eyes opening stays on"),
        _("%(who)s withdrew the request to switch four-eyes opening off for %(municipality)s."),
    ),
}


def _tell_buyers(municipality: Municipality, action: str, by: User) -> None:
    """Every buyer of the municipality's organisations hears of a change to the opening rule."""
    emails = sorted(
        set(
            User.objects.filter(
                memberships__organisation__kind=Organisation.Kind.BUYER,
                memberships__organisation__municipality=municipality,
                is_active=True,
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    subject, body = FOUR_EYES_MAILS[action]
    with translation.override("nl"):
        text = str(body) % {"who": by.get_full_name() or by.email, "municipality": municipality}
        messages = [(str(subject), text, None, [email]) for email in emails]
    transaction.on_commit(lambda: send_mass_mail(messages))


@transaction.atomic
def policy_band_set(
    *, municipality: Municipality, contract_type: str, bands: Sequence[Band], by: User
) -> list[PolicyBand]:
    """Set a municipality's bands for one contract type, lowest first; no bands restores the
    defaults. Only a buyer-administrator of that municipality may."""
    membership = buyer_admin_membership(by, municipality)
    if membership is None:
        raise PermissionDenied
    contract_type = ContractType(contract_type)
    bands = [
        Band(
            Procedure(band.procedure),
            None if band.max_value is None else Decimal(str(band.max_value)),
        )
        for band in bands
    ]
    if errors := policy_bands_check(bands):
        raise ValidationError(errors)
    Municipality.objects.select_for_update().get(pk=municipality.pk)
    previous = own_policy_bands(municipality).get(contract_type, ())
    PolicyBand.objects.filter(municipality=municipality, contract_type=contract_type).delete()
    rows = PolicyBand.objects.bulk_create(
        PolicyBand(
            municipality=municipality,
            contract_type=contract_type,
            procedure=band.procedure,
            max_value=band.max_value,
        )
        for band in bands
    )
    audit_record(
        action="policy.changed",
        actor=by,
        organisation=membership.organisation,
        obj=municipality,
        details={
            "contract_type": contract_type,
            "bands": _bands_as_json(bands),
            "previous": _bands_as_json(previous),
        },
    )
    return rows


def _bands_as_json(bands: Iterable[Band]) -> list[list[str | None]]:
    return [
        [str(band.procedure), None if band.max_value is None else str(band.max_value)]
        for band in bands
    ]
