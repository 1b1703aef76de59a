"""Opening the vault after the deadline, with four eyes by default (DESIGN §4.5, issue 5 item 3).

One buyer of the tender's organisation requests the opening and a different buyer of the same
organisation confirms it; an organisation whose policy says single opening opens with the request.
Only this module sets the status *opened*. Every refusal, and every attempt to read quotes before
the opening, is audited for the buyer organisation — also when the refused step is rolled back.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from marketplace import formats
from marketplace.models import User
from marketplace.services import audit_record
from tenders import caching
from tenders.models import (
    Quote,
    Status,
    Tender,
    TenderChange,
    VaultOpening,
)
from tenders.services.guards import AuditedRefusal, lock, refusals_audited, require_buyer
from tenders.services.lifecycle import tender_close

BEFORE_DEADLINE = _(
    "The quotes stay sealed until the deadline for quotes has passed (%(deadline)s). Nobody can "
    "open or read them before then."
)
NOT_CLOSED = _("Only the quotes of a closed tender can be opened.")
ALREADY_OPENED = _("The quotes of this tender are already opened.")
NO_REQUEST = _("Nobody has asked to open the quotes yet. Ask for the opening first.")
SAME_BUYER = _(
    "You asked for the opening yourself. A different buyer of your organisation must confirm it "
    "(four eyes)."
)


def _before_deadline(tender: Tender, by: User, now: datetime, what: str) -> None:
    if tender.quote_deadline is None or now < tender.quote_deadline:
        deadline = formats.moment(tender.quote_deadline) or "—"
        error = ValidationError(
            BEFORE_DEADLINE, code="before_deadline", params={"deadline": deadline}
        )
        raise AuditedRefusal(
            error,
            {
                "action": "vault.access_refused",
                "actor": by,
                "organisation": tender.buyer,
                "obj": tender,
                "details": {"what": what, "at": now.isoformat()},
            },
        )


def vault_open_request(*, tender: Tender, by: User, now: datetime | None = None) -> VaultOpening:
    """Ask to open the quotes after the deadline; with single opening this opens them at once."""
    require_buyer(by, tender)
    with refusals_audited(), transaction.atomic():
        return _request(tender=tender, by=by, now=now)


def _request(*, tender: Tender, by: User, now: datetime | None) -> VaultOpening:
    lock(tender)
    now = now or timezone.now()
    _before_deadline(tender, by, now, "opening_request")
    if tender.status == Status.PUBLISHED:
        # Opening needs the recorded close; unanswered questions block it, with their message.
        tender_close(tender=tender, now=now)
    existing = VaultOpening.objects.select_for_update().filter(tender=tender).first()
    if existing is not None:
        if existing.is_open:
            raise ValidationError(ALREADY_OPENED, code="opened")
        return existing
    if tender.status != Status.CLOSED:
        raise ValidationError(NOT_CLOSED, code="not_closed")
    # The rule fixed at publication, never today's policy (issue 17.1).
    opening = VaultOpening.objects.create(
        tender=tender, requested_by=by, requested_at=now, four_eyes=tender.four_eyes_opening
    )
    audit_record(
        action="vault.opening_requested",
        actor=by,
        organisation=tender.buyer,
        obj=tender,
        details={"four_eyes": opening.four_eyes},
    )
    if not opening.four_eyes:
        _open(tender, opening, by, now)
    return opening


def vault_open_confirm(*, tender: Tender, by: User, now: datetime | None = None) -> VaultOpening:
    """Confirm another buyer's request: the quotes are opened and can be read from now on."""
    require_buyer(by, tender)
    with refusals_audited(), transaction.atomic():
        return _confirm(tender=tender, by=by, now=now)


def _confirm(*, tender: Tender, by: User, now: datetime | None) -> VaultOpening:
    lock(tender)
    now = now or timezone.now()
    _before_deadline(tender, by, now, "opening_confirm")
    opening = VaultOpening.objects.select_for_update().filter(tender=tender).first()
    if opening is None:
        raise ValidationError(NO_REQUEST, code="no_request")
    if opening.is_open:
        raise ValidationError(ALREADY_OPENED, code="opened")
    if opening.four_eyes and opening.requested_by_id == by.pk:
        raise AuditedRefusal(
            ValidationError(SAME_BUYER, code="same_buyer"),
            {
                "action": "vault.opening_refused",
                "actor": by,
                "organisation": tender.buyer,
                "obj": tender,
                "details": {"reason": "same_buyer"},
            },
        )
    if tender.status != Status.CLOSED:
        raise ValidationError(NOT_CLOSED, code="not_closed")
    opening.confirmed_by = by
    opening.save(update_fields=["confirmed_by"])
    audit_record(
        action="vault.opening_confirmed",
        actor=by,
        organisation=tender.buyer,
        obj=tender,
        details={"requested_by": opening.requested_by.email},
    )
    _open(tender, opening, by, now)
    return opening


def _open(tender: Tender, opening: VaultOpening, by: User, now: datetime) -> None:
    """Open the vault: from now on ``tenders.selectors.vault`` unseals this tender's quotes."""
    opening.opened_at = now
    if opening.confirmed_by_id is None:
        opening.confirmed_by = by
    opening.save(update_fields=["opened_at", "confirmed_by"])
    tender.status = Status.OPENED
    tender.save(update_fields=["status", "updated_at"])
    caching.list_changed()
    count = Quote.objects.filter(tender=tender, status=Quote.Status.SUBMITTED).count()
    audit_record(
        action="vault.opened",
        actor=by,
        organisation=tender.buyer,
        obj=tender,
        details={"quotes": count, "four_eyes": opening.four_eyes},
    )
    with translation.override(settings.LANGUAGE_CODE):
        summary = ngettext(
            "The quotes were opened: %(count)s quote was received.",
            "The quotes were opened: %(count)s quotes were received.",
            count,
        ) % {"count": count}
    TenderChange.objects.create(
        tender=tender, kind=TenderChange.Kind.OPENED, summary=summary, created_by=by
    )
