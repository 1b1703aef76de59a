"""Rules that change firm profiles."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace import formats
from marketplace.geo import Location, normalise_postcode, resolve_location
from marketplace.models import (
    UNKNOWN_CPV,
    CpvCode,
    Membership,
    Municipality,
    Organisation,
    Role,
    SbiCode,
    User,
)
from marketplace.outbox.services import message_write
from marketplace.selectors import user_may_act_for
from marketplace.services import (
    ALREADY_MEMBER,
    ROLE_DOES_NOT_FIT,
    audit_record,
    membership_add,
    organisation_create,
)
from suppliers.models import Certification, Firm, FirmInvitation
from suppliers.search import index_after_commit
from suppliers.selectors import firm_invitation_refusal

UNKNOWN_LOCATION = _("Neither the postcode nor the municipality is known.")
UNKNOWN_SBI = _("Unknown SBI code: %(codes)s.")
UNKNOWN_CERTIFICATION = _("Unknown certification: %(codes)s.")


@dataclass
class FirmData:
    """What a firm says about itself; the input of ``firm_upsert``."""

    kvk_number: str
    name: str
    description: str = ""
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    place: str = ""
    municipality: Municipality | None = None
    cpv_codes: Sequence[str] = ()
    sbi_codes: Sequence[tuple[str, str]] = ()  # (version, code), e.g. ("2008", "43341")
    certifications: Sequence[str] = ()
    establishment_number: str = ""
    employees: int | None = None
    website: str = ""
    email: str = ""
    phone: str = ""
    open_to_partnerships: bool = False
    published: bool = True


def _lookup_cpv(codes: Sequence[str]) -> list[CpvCode]:
    found, missing = CpvCode.objects.known(
        code.split("-")[0].strip() for code in codes if code.strip()
    )
    if missing:
        raise ValidationError(UNKNOWN_CPV, params={"codes": ", ".join(missing)})
    return found


def _lookup_sbi(codes: Sequence[tuple[str, str]]) -> list[SbiCode]:
    wanted = {(version, code.replace(".", "")) for version, code in codes}
    if not wanted:
        return []
    condition = Q()
    for version, code in wanted:
        condition |= Q(version=version, code=code)
    found = list(SbiCode.objects.filter(condition))
    missing = sorted(wanted - {(c.version, c.code) for c in found})
    if missing:
        shown = ", ".join(f"{code} (SBI {version})" for version, code in missing)
        raise ValidationError(UNKNOWN_SBI, params={"codes": shown})
    return found


def _lookup_certifications(codes: Sequence[str]) -> list[Certification]:
    found = list(Certification.objects.filter(pk__in=set(codes)))
    missing = sorted(set(codes) - {c.pk for c in found})
    if missing:
        raise ValidationError(UNKNOWN_CERTIFICATION, params={"codes": ", ".join(missing)})
    return found


def firm_fields_set(*, firm: Firm, data: FirmData, location: Location) -> None:
    """Give an (unsaved) firm the profile fields of ``data`` at ``location``: the step the
    profile form, ``import_suppliers`` row by row and its batches share."""
    firm.description = data.description
    firm.street = data.street
    firm.house_number = data.house_number
    firm.postcode = normalise_postcode(data.postcode) or ""
    firm.place = data.place or (location.postcode_area.place if location.postcode_area else "")
    firm.postcode_area = location.postcode_area
    firm.municipality = location.municipality
    firm.latitude = location.latitude
    firm.longitude = location.longitude
    firm.employees = data.employees
    firm.website = data.website
    firm.email = data.email
    firm.phone = data.phone
    firm.open_to_partnerships = data.open_to_partnerships
    firm.published = data.published
    firm.establishment_number = data.establishment_number


@transaction.atomic
def firm_upsert(*, data: FirmData, by: User | None = None) -> tuple[Firm, bool]:
    """Create the firm with this KvK number, or update it; returns (firm, created)."""
    location = resolve_location(data.postcode, data.municipality)
    if location is None:
        raise ValidationError(UNKNOWN_LOCATION)
    cpv = _lookup_cpv(data.cpv_codes)
    sbi = _lookup_sbi(data.sbi_codes)
    certifications = _lookup_certifications(data.certifications)

    firm = Firm.objects.select_related("organisation").filter(kvk_number=data.kvk_number).first()
    created = firm is None
    if created:
        organisation = organisation_create(name=data.name, kind=Organisation.Kind.FIRM, by=by)
        firm = Firm(organisation=organisation, kvk_number=data.kvk_number)
    elif firm.organisation.name != data.name:
        firm.organisation.name = data.name
        firm.organisation.save(update_fields=["name"])
    firm_fields_set(firm=firm, data=data, location=location)
    firm.full_clean(exclude=["organisation"])
    firm.save()
    firm.cpv_codes.set(cpv)
    firm.sbi_codes.set(sbi)
    firm.certifications.set(certifications)
    audit_record(
        action="firm.created" if created else "firm.updated",
        actor=by,
        organisation=firm.organisation,
        obj=firm,
        details={"kvk_number": firm.kvk_number},
    )
    index_after_commit([firm.pk])
    return firm, created


# Registration, profile changes and invitations (issue 3) --------------------------------------

FIRM_ALREADY_REGISTERED = _(
    "This firm is already on Dichtbij. Ask its administrator to invite you."
)
ONLY_ADMINS_INVITE = _("Only the firm's administrators can invite colleagues.")


def firm_register(*, user: User, data: FirmData) -> Firm:
    """Put a new firm on Dichtbij with ``user`` as its administrator; never touches an existing
    firm (registration is not a way to take over a profile)."""
    if Firm.objects.filter(kvk_number=data.kvk_number).exists():
        raise ValidationError(FIRM_ALREADY_REGISTERED, code="kvk_taken")
    try:
        with transaction.atomic():
            firm, _created = firm_upsert(data=data, by=user)
    except IntegrityError:
        # Someone registered the same KvK number at the same moment.
        if Firm.objects.filter(kvk_number=data.kvk_number).exists():
            raise ValidationError(FIRM_ALREADY_REGISTERED, code="kvk_taken") from None
        raise
    return firm


def firm_update(*, firm: Firm, data: FirmData, by: User) -> Firm:
    """Change a firm's profile; its KvK number stays what it is."""
    updated, _created = firm_upsert(data=replace(data, kvk_number=firm.kvk_number), by=by)
    return updated


def _invitation_email(invitation: FirmInvitation) -> tuple[str, str]:
    """Subject and plain-text body, in the active language (the inviter's)."""
    firm_name = invitation.organisation.name
    inviter = invitation.invited_by
    inviter_name = (inviter.get_full_name() or inviter.email) if inviter else "Dichtbij"
    url = settings.SITE_URL + reverse("suppliers:invitation_accept", args=[invitation.token])
    until = formats.day(invitation.expires_at)
    paragraphs = [
        gettext("Hello,"),
        gettext("%(inviter)s invites you to join %(firm)s on Dichtbij.")
        % {"inviter": inviter_name, "firm": firm_name},
    ]
    if invitation.role == Role.FIRM_ADMIN:
        paragraphs.append(
            gettext("You will be an administrator: you can also invite colleagues yourself.")
        )
    paragraphs += [
        gettext("Accept the invitation with this link. It works until %(date)s.") % {"date": until}
        + "\n"
        + url,
        gettext(
            "Log in with this e-mail address (%(email)s). No account yet? Sign up with this "
            "address first, then open the link again."
        )
        % {"email": invitation.email},
        gettext("Not expecting this? Then you can ignore this e-mail."),
        "Dichtbij",
    ]
    subject = gettext("You are invited to join %(firm)s on Dichtbij") % {"firm": firm_name}
    return subject, "\n\n".join(paragraphs) + "\n"


@transaction.atomic
def firm_invitation_create(
    *, organisation: Organisation, email: str, role: str, by: User
) -> FirmInvitation:
    """Invite someone by e-mail to join a firm; the e-mail goes out after commit, written in
    the inviter's language."""
    if not user_may_act_for(by, organisation, roles=[Role.FIRM_ADMIN]):
        raise PermissionDenied(ONLY_ADMINS_INVITE)
    if not organisation.is_firm or role not in (Role.FIRM_MEMBER, Role.FIRM_ADMIN):
        raise ValidationError(ROLE_DOES_NOT_FIT)
    email = email.strip()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError(ALREADY_MEMBER)
    invitation = FirmInvitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=by,
    )
    audit_record(
        action="firm.invitation_sent",
        actor=by,
        organisation=organisation,
        obj=invitation,
        details={"email": email, "role": role},
    )
    subject, body = _invitation_email(invitation)
    message_write(
        key=f"firm-invitation:{invitation.pk}",
        to_address=email,
        subject=subject,
        body=body,
        topic=f"firm-invitation:{invitation.pk}",
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    return invitation


@transaction.atomic
def firm_invitation_accept(*, invitation: FirmInvitation, user: User) -> Membership:
    """Make the invited person a member of the firm, once."""
    invitation = (
        FirmInvitation.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=invitation.pk)
    )
    if refusal := firm_invitation_refusal(invitation, user):
        raise refusal
    membership = membership_add(
        organisation=invitation.organisation, user=user, role=invitation.role, by=user
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        action="firm.invitation_accepted",
        actor=user,
        organisation=invitation.organisation,
        obj=invitation,
        details={"email": invitation.email, "role": invitation.role},
    )
    return membership
