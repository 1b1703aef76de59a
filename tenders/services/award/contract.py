"""After the award: the contract once the standstill period is over, or no award at all."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace import formats
from marketplace.models import User
from marketplace.services import audit_record
from tenders import caching
from tenders.models import (
    Award,
    Contract,
    Status,
    Tender,
    TenderChange,
)
from tenders.models.award import (
    CONTRACT_END_BEFORE_START,
    CONTRACT_VALUE_NEGATIVE,
)
from tenders.notifications import change_record
from tenders.services.award.guards import lock, require_buyer, require_opened

NOT_AWARDED = _("A contract can only be recorded for an awarded tender.")
STANDSTILL_RUNNING = _(
    "The standstill period runs until %(date)s. You can record the contract after that."
)
SIGNED_BEFORE_AWARD = _(
    "The contract cannot be signed before the award decision, nor during the standstill period."
)
UNSUCCESSFUL_REASON_REQUIRED = _("Say why there is no award; the firms will read it.")
COMPLETED_SUMMARY = _("Contract signed with %(firm)s on %(date)s for %(value)s (excl. VAT).")


@transaction.atomic
def contract_record(
    *,
    tender: Tender,
    by: User,
    value: Decimal,
    start_date: date,
    end_date: date | None,
    signed_on: date,
    now: datetime | None = None,
) -> Contract:
    """Record the signed contract once the standstill period is over; the tender completes."""
    require_buyer(by, tender)
    lock(tender)
    now = now or timezone.now()
    award = Award.objects.filter(tender=tender).select_related("firm__organisation").first()
    if tender.status != Status.AWARDED or award is None:
        raise ValidationError(NOT_AWARDED, code="not_awarded")
    if award.standstill_until and now < award.standstill_until:
        raise ValidationError(
            STANDSTILL_RUNNING,
            code="standstill",
            params={"date": formats.moment(award.standstill_until)},
        )
    errors: dict[str, list] = {}
    if value is None or value < 0:
        errors["value"] = [CONTRACT_VALUE_NEGATIVE]
    if end_date is not None and end_date < start_date:
        errors["end_date"] = [CONTRACT_END_BEFORE_START]
    if signed_on < timezone.localdate(award.standstill_until or award.decided_at):
        errors["signed_on"] = [SIGNED_BEFORE_AWARD]
    if errors:
        raise ValidationError(errors)
    contract = Contract.objects.create(
        tender=tender,
        award=award,
        firm=award.firm,
        value=value,
        start_date=start_date,
        end_date=end_date,
        signed_on=signed_on,
        recorded_by=by,
        recorded_at=now,
    )
    tender.status = Status.COMPLETED
    tender.save(update_fields=["status", "updated_at"])
    caching.list_changed()
    audit_record(
        action="tender.completed",
        actor=by,
        organisation=tender.buyer,
        obj=tender,
        details={
            "firm": award.firm.name,
            "value": str(value),
            "start_date": start_date.isoformat(),
            "end_date": end_date.isoformat() if end_date else None,
            "signed_on": signed_on.isoformat(),
        },
    )
    # Public on the tender's page and in the open data; the bidders heard the award already.
    with translation.override(settings.LANGUAGE_CODE):
        summary = gettext(COMPLETED_SUMMARY) % {
            "firm": award.firm.name,
            "date": formats.day(signed_on),
            "value": formats.euro(value),
        }
    TenderChange.objects.create(
        tender=tender,
        kind=TenderChange.Kind.COMPLETED,
        summary=summary,
        created_by=by,
        created_at=now,
    )
    return contract


@transaction.atomic
def tender_end_without_award(*, tender: Tender, by: User, reason: str) -> Tender:
    """End an opened tender without award (no valid quote, or none acceptable) and tell the
    bidders and the other firms why."""
    require_buyer(by, tender)
    lock(tender)
    require_opened(tender)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(UNSUCCESSFUL_REASON_REQUIRED)})
    tender.status = Status.UNSUCCESSFUL
    tender.unsuccessful_reason = reason
    tender.save(update_fields=["status", "unsuccessful_reason", "updated_at"])
    caching.list_changed()
    audit_record(
        action="tender.unsuccessful",
        actor=by,
        organisation=tender.buyer,
        obj=tender,
        details={"reason": reason},
    )
    change_record(tender=tender, kind=TenderChange.Kind.UNSUCCESSFUL, summary=reason, by=by)
    return tender
