"""The shortlist of an invite-only tender and its justification (DESIGN §4.6): proposing, replacing,
adding, removing and sending invitations, and the municipality's rules for them. Every step writes
an ``InvitationChange`` (the justification the Aanbestedingswet asks for) and an audit event."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from marketplace.models import Organisation, User
from marketplace.outbox.models import Message
from marketplace.services import audit_record
from suppliers.models import Firm
from tenders import caching
from tenders.assistant import Proposal, propose
from tenders.models import (
    INVITATION_REASON_MAX_LENGTH,
    Invitation,
    InvitationChange,
    Procedure,
    Status,
    Tender,
)
from tenders.notifications import notification_rows, notifications_queue
from tenders.selectors.memberships import firm_members
from tenders.services.guards import lock, require_buyer

NOT_INVITE_ONLY = _("Only a single- or multiple-quote procedure has invitations.")
PROPOSE_ONLY_DRAFTS = _("A proposal can only be made while the tender is a draft.")
MAIN_CPV_FIRST = _(
    "Choose the main CPV code first: the proposal looks for firms that do that work."
)
REASON_REQUIRED = _("Give a reason: it becomes part of the procedure's justification.")
REASON_TOO_LONG = _("Keep the reason under %(limit)s characters.")
FIRM_NOT_PUBLISHED = _("This firm is not listed on Dichtbij and cannot be invited.")
ALREADY_INVITED = _("This firm is already on the list.")
ALREADY_SENT = _("This invitation has been sent and can no longer be changed.")
CANNOT_ADD_NOW = _("Firms can be added while the tender is a draft or open for quotes.")
SINGLE_HAS_ONE = _(
    "A single-quote procedure invites exactly one firm: replace the invited firm instead."
)


def _require_invite_only(tender: Tender) -> None:
    if not tender.is_invite_only:
        raise ValidationError(NOT_INVITE_ONLY)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(REASON_REQUIRED, code="required")})
    if len(reason) > INVITATION_REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": ValidationError(
                    REASON_TOO_LONG, params={"limit": INVITATION_REASON_MAX_LENGTH}
                )
            }
        )
    return reason


def _check_firm(tender: Tender, firm: Firm) -> None:
    if not firm.published or firm.organisation.kind != Organisation.Kind.FIRM:
        raise ValidationError({"firm": ValidationError(FIRM_NOT_PUBLISHED, code="unpublished")})
    if tender.invitations.filter(firm=firm).exists():
        raise ValidationError({"firm": ValidationError(ALREADY_INVITED, code="already_invited")})


def _unsent_change(invitation: Invitation, by: User, reason: str) -> str:
    """What replacing or removing a pick checks first: a buyer with a reason, the tender row
    held, and the invitation not sent yet. Returns the reason, cleaned."""
    tender = invitation.tender
    require_buyer(by, tender)
    reason = _reason(reason)
    lock(tender)
    invitation.refresh_from_db()
    if invitation.sent_at is not None or tender.status != Status.DRAFT:
        raise ValidationError(ALREADY_SENT)
    return reason


def _record(tender: Tender, action: str, firm: Firm, by: User, **fields: Any) -> InvitationChange:
    return InvitationChange.objects.create(
        tender=tender, action=action, firm=firm, by=by, at=timezone.now(), **fields
    )


def _audit(action: str, tender: Tender, by: User, **details: Any) -> None:
    audit_record(
        action=action,
        actor=by,
        organisation=tender.buyer,
        obj=tender,
        details={"reference": tender.reference, **details},
    )


# The shortlist -----------------------------------------------------------------------------------


@transaction.atomic
def invitations_propose(*, tender: Tender, by: User, seed: str | None = None) -> Proposal:
    """Replace the draft's shortlist with the assistant's proposal, recorded with its seed."""
    require_buyer(by, tender)
    lock(tender)
    _require_invite_only(tender)
    if tender.status != Status.DRAFT:
        raise ValidationError(PROPOSE_ONLY_DRAFTS)
    if tender.main_cpv_id is None:
        raise ValidationError(MAIN_CPV_FIRST)
    proposal = propose(tender, seed=seed)
    tender.invitations.filter(sent_at__isnull=True).delete()
    firms = Firm.objects.in_bulk(
        [pick.firm_id for pick in proposal.picks]
        + [entry.firm_id for entry in proposal.passed_over]
    )
    now = timezone.now()
    Invitation.objects.bulk_create(
        Invitation(
            tender=tender,
            firm=firms[pick.firm_id],
            kind=pick.kind,
            position=pick.position,
            reason=pick.reason,
            invited_by=by,
            invited_at=now,
        )
        for pick in proposal.picks
    )
    changes = [
        InvitationChange(
            tender=tender,
            action=action,
            firm=firms[entry.firm_id],
            reason=entry.reason,
            seed=proposal.seed,
            by=by,
            at=now,
        )
        for action, entries in (
            (InvitationChange.Action.PROPOSED, proposal.picks),
            (InvitationChange.Action.PASSED_OVER, proposal.passed_over),
        )
        for entry in entries
    ]
    InvitationChange.objects.bulk_create(changes)
    _audit(
        "invitation.proposed",
        tender,
        by,
        seed=proposal.seed,
        firms=[pick.candidate.hit.kvk_number for pick in proposal.picks],
        passed_over=[entry.candidate.hit.kvk_number for entry in proposal.passed_over],
    )
    return proposal


@transaction.atomic
def invitation_replace(*, invitation: Invitation, firm: Firm, reason: str, by: User) -> Invitation:
    """Put another firm in a pick's place, with the buyer's reason."""
    tender = invitation.tender
    reason = _unsent_change(invitation, by, reason)
    _check_firm(tender, firm)
    previous = invitation.firm
    invitation.firm = firm
    invitation.kind = Invitation.Kind.CHOSEN
    invitation.reason = reason
    invitation.invited_by = by
    invitation.invited_at = timezone.now()
    invitation.save(update_fields=["firm", "kind", "reason", "invited_by", "invited_at"])
    _record(
        tender, InvitationChange.Action.REPLACED, firm, by, replaced_firm=previous, reason=reason
    )
    _audit(
        "invitation.replaced",
        tender,
        by,
        firm=firm.kvk_number,
        replaced_firm=previous.kvk_number,
        reason=reason,
    )
    return invitation


@transaction.atomic
def invitation_add(
    *, tender: Tender, firm: Firm, reason: str, by: User, now: datetime | None = None
) -> Invitation:
    """Add a firm the buyer chose; on a tender open for quotes it is invited at once."""
    require_buyer(by, tender)
    reason = _reason(reason)
    lock(tender)
    _require_invite_only(tender)
    now = now or timezone.now()
    open_now = tender.status == Status.PUBLISHED and tender.quote_deadline > now
    if tender.status != Status.DRAFT and not open_now:
        raise ValidationError(CANNOT_ADD_NOW)
    if tender.procedure == Procedure.SINGLE and tender.invitations.exists():
        raise ValidationError(SINGLE_HAS_ONE)
    _check_firm(tender, firm)
    last = tender.invitations.aggregate(last=Max("position"))["last"] or 0
    invitation = Invitation.objects.create(
        tender=tender,
        firm=firm,
        kind=Invitation.Kind.CHOSEN,
        position=last + 1,
        reason=reason,
        invited_by=by,
        invited_at=now,
    )
    _record(tender, InvitationChange.Action.ADDED, firm, by, reason=reason)
    _audit("invitation.added", tender, by, firm=firm.kvk_number, reason=reason)
    if open_now:
        _send(tender, [invitation], by, now)
    return invitation


@transaction.atomic
def invitation_remove(*, invitation: Invitation, reason: str, by: User) -> None:
    """Take a firm off the shortlist before the invitations are sent."""
    tender = invitation.tender
    reason = _unsent_change(invitation, by, reason)
    firm = invitation.firm
    invitation.delete()
    for number, row in enumerate(tender.invitations.order_by("position", "pk"), 1):
        if row.position != number:
            Invitation.objects.filter(pk=row.pk).update(position=number)
    _record(tender, InvitationChange.Action.REMOVED, firm, by, reason=reason)
    _audit("invitation.removed", tender, by, firm=firm.kvk_number, reason=reason)


# Sending -----------------------------------------------------------------------------------------


@transaction.atomic
def invitations_send(*, tender: Tender, by: User, now: datetime | None = None) -> list[Invitation]:
    """Send every invitation not sent yet (on publishing): one e-mail per member of each firm."""
    require_buyer(by, tender)
    if not tender.is_invite_only:
        return []
    lock(tender)
    pending = list(tender.invitations.filter(sent_at__isnull=True).select_related("firm"))
    if pending:
        _send(tender, pending, by, now or timezone.now())
    return pending


def _send(tender: Tender, invitations: list[Invitation], by: User, now: datetime) -> None:
    Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(sent_at=now)
    caching.list_changed()  # the invited firms see the tender on the list from now on
    for invitation in invitations:
        invitation.sent_at = now
    InvitationChange.objects.bulk_create(
        InvitationChange(
            tender=tender,
            action=InvitationChange.Action.SENT,
            firm=invitation.firm,
            by=by,
            at=now,
        )
        for invitation in invitations
    )
    emails = notifications_queue(rows=_invitation_emails(tender, invitations))
    _audit(
        "invitation.sent",
        tender,
        by,
        firms=[invitation.firm.kvk_number for invitation in invitations],
        emails=emails,
    )


def _invitation_emails(tender: Tender, invitations: list[Invitation]) -> list[Message]:
    url = settings.SITE_URL.rstrip("/") + reverse("tenders:detail", args=[tender.pk])
    firms = {invitation.firm_id: invitation.firm for invitation in invitations}
    rows = []
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(_("Invitation to quote: %(reference)s — %(title)s")) % {
            "reference": tender.reference,
            "title": tender.title,
        }
        for firm_id, users in sorted(firm_members(firms).items()):
            body = render_to_string(
                "tenders/invitations/email.txt",
                {"tender": tender, "firm": firms[firm_id], "url": url},
            )
            rows += notification_rows(
                key=f"invitation:{tender.pk}:{firm_id}",
                users=users,
                tender=tender,
                subject=subject,
                body=body,
            )
    return rows
