"""Rules that change tenders: creating, editing and publishing a draft, its lots and award
criteria, and cancelling; each change writes an audit event."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.models import CpvCode, Organisation, User
from marketplace.selectors import user_may_act_for
from marketplace.services import audit_record
from tenders import caching
from tenders.alerts.models import Event
from tenders.alerts.services import alert_matches_write
from tenders.models import (
    BUYER_ROLES,
    CANCELLABLE_STATUSES,
    PUBLIC_STATUSES,
    WEIGHT_OUT_OF_RANGE,
    AwardCriterion,
    Lot,
    LotData,
    ProcurementPolicy,
    Status,
    Tender,
    TenderChange,
    reference_prefix,
)
from tenders.notifications import change_record
from tenders.policy import (
    WEIGHTS_MUST_ADD_UP_TO_100,
    tender_publication_check,
)
from tenders.services.guards import lock, require_known_cpv, require_valid_lots
from tenders.services.invitations import invitations_send

NOT_A_BUYER_ORGANISATION = _("Only a municipality's buying organisation can put out tenders.")
ONLY_DRAFTS_CAN_BE_CHANGED = _(
    "Only a draft can be changed like this. A published tender changes by extending the "
    "deadline or publishing a rectification."
)
ONLY_DRAFTS_CAN_BE_PUBLISHED = _("Only a draft can be published.")
CANNOT_BE_CANCELLED = _("This tender can no longer be cancelled.")
CANCEL_REASON_REQUIRED = _("Give a reason for cancelling.")
CRITERION_NAME_REQUIRED = _("Every criterion needs a name.")
CRITERION_NAMES_MUST_DIFFER = _("Each criterion needs its own name.")

# What tender_create and tender_update may set; the rest belongs to the services.
EDITABLE_FIELDS = frozenset(
    {
        "title",
        "description",
        "contract_type",
        "main_cpv",
        "additional_cpv",
        "place_of_performance",
        "estimated_value_min",
        "estimated_value_max",
        "procedure",
        "procedure_justification",
        "award_criteria_type",
        "question_deadline",
        "quote_deadline",
        "contact_name",
        "contact_email",
        "tenderned_reference",
    }
)
REFERENCE_ATTEMPTS = 5


def _require_buyer(by: User, organisation: Organisation) -> None:
    if not user_may_act_for(by, organisation, BUYER_ROLES):
        raise PermissionDenied


def _split_fields(fields: dict[str, Any]) -> tuple[dict[str, Any], Iterable | None]:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable through this service: {', '.join(sorted(unknown))}")
    fields = dict(fields)
    return fields, fields.pop("additional_cpv", None)


def tender_fields_save(
    *, tender: Tender, fields: dict[str, Any], additional_cpv: list[CpvCode] | None
) -> list[str]:
    """Set, validate and save these fields and other CPV codes of a locked tender; returns the
    names of the ones that changed. The step tender_update and tender_rectify share; they check
    what may change and audit it."""
    attnames = {name: Tender._meta.get_field(name).attname for name in fields}
    before = {name: getattr(tender, attname) for name, attname in attnames.items()}
    for name, value in fields.items():
        setattr(tender, name, value)
    tender.full_clean()
    changed = [
        name for name, attname in attnames.items() if getattr(tender, attname) != before[name]
    ]
    if changed:
        tender.save(update_fields=[*changed, "updated_at"])
    if additional_cpv is not None and {code.pk for code in additional_cpv} != set(
        tender.additional_cpv.values_list("pk", flat=True)
    ):
        tender.additional_cpv.set(additional_cpv)
        changed.append("additional_cpv")
    return changed


# References --------------------------------------------------------------------------------------


def _next_reference_number(prefix: str, year: int) -> int:
    # Counted per prefix rather than per organisation: where two buyers share a prefix (Heerlen,
    # Heerde and Heerenveen are all HEER) they share the counter, so references stay unique.
    last = Tender.objects.filter(reference__startswith=f"{prefix}-{year}-").aggregate(
        last=Max("reference_number")
    )["last"]
    return (last or 0) + 1


# Tenders -----------------------------------------------------------------------------------------


@transaction.atomic
def tender_create(*, buyer: Organisation, by: User, **fields: Any) -> Tender:
    """Create a draft tender with the buyer's next reference number, e.g. DORD-2026-0042."""
    if not buyer.is_buyer:
        raise ValidationError(NOT_A_BUYER_ORGANISATION)
    _require_buyer(by, buyer)
    fields, additional_cpv = _split_fields(fields)
    defaults = {
        "place_of_performance": buyer.municipality,
        "contact_name": by.get_full_name() or by.email,
        "contact_email": by.email,
    }
    tender = Tender(buyer=buyer, created_by=by, **{**defaults, **fields})
    codes = require_known_cpv(additional_cpv) if additional_cpv is not None else []
    tender.full_clean(exclude=["reference", "reference_number"])

    # One create at a time per buyer; a clash with another buyer of the same prefix is retried.
    Organisation.objects.select_for_update().get(pk=buyer.pk)
    prefix, year = reference_prefix(buyer.municipality.name), timezone.localdate().year
    for attempt in range(1, REFERENCE_ATTEMPTS + 1):
        tender.reference_number = _next_reference_number(prefix, year)
        tender.reference = f"{prefix}-{year}-{tender.reference_number:04d}"
        try:
            with transaction.atomic():
                tender.save(force_insert=True)
            break
        except IntegrityError:
            if attempt == REFERENCE_ATTEMPTS:
                raise
    if codes:
        tender.additional_cpv.set(codes)
    audit_record(
        action="tender.created",
        actor=by,
        organisation=buyer,
        obj=tender,
        details={"reference": tender.reference},
    )
    return tender


@transaction.atomic
def tender_update(*, tender: Tender, by: User, **fields: Any) -> Tender:
    """Change a draft; a published tender changes only by extension or rectification."""
    _require_buyer(by, tender.buyer)
    lock(tender)
    if tender.status != Status.DRAFT:
        raise ValidationError(ONLY_DRAFTS_CAN_BE_CHANGED)
    fields, additional_cpv = _split_fields(fields)
    codes = require_known_cpv(additional_cpv) if additional_cpv is not None else None
    changed = tender_fields_save(tender=tender, fields=fields, additional_cpv=codes)
    if changed:
        audit_record(
            action="tender.updated",
            actor=by,
            organisation=tender.buyer,
            obj=tender,
            details={"fields": changed},
        )
    return tender


@transaction.atomic
def tender_publish(*, tender: Tender, by: User, now: datetime | None = None) -> Tender:
    """Publish a draft once everything in tenders.policy.tender_publication_check is in order."""
    _require_buyer(by, tender.buyer)
    lock(tender)
    if tender.status != Status.DRAFT:
        raise ValidationError(ONLY_DRAFTS_CAN_BE_PUBLISHED)
    now = now or timezone.now()
    problems = tender_publication_check(tender=tender, now=now)
    if problems:
        raise ValidationError(problems)
    tender.status = Status.PUBLISHED
    tender.published_at = now
    tender.four_eyes_opening = ProcurementPolicy.for_municipality(
        tender.buyer.municipality
    ).four_eyes_opening
    tender.save(update_fields=["status", "published_at", "four_eyes_opening", "updated_at"])
    caching.list_changed()
    invitations_send(tender=tender, by=by, now=now)
    alert_matches_write(tender=tender, event=Event.PUBLISHED)
    audit_record(
        action="tender.published",
        actor=by,
        organisation=tender.buyer,
        obj=tender,
        details={
            "procedure": tender.procedure,
            "quote_deadline": tender.quote_deadline.isoformat(),
        },
    )
    return tender


@transaction.atomic
def tender_cancel(*, tender: Tender, by: User, reason: str) -> Tender:
    """Cancel a tender that has not been awarded, with a reason the firms will see; once it was
    public, following and invited firms hear of it."""
    _require_buyer(by, tender.buyer)
    lock(tender)
    if tender.status not in CANCELLABLE_STATUSES:
        raise ValidationError(CANNOT_BE_CANCELLED)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"cancellation_reason": CANCEL_REASON_REQUIRED})
    previous = tender.effective_status
    tender.status = Status.CANCELLED
    tender.cancellation_reason = reason
    tender.cancelled_at = timezone.now()
    tender.save(update_fields=["status", "cancellation_reason", "cancelled_at", "updated_at"])
    caching.list_changed()
    audit_record(
        action="tender.cancelled",
        actor=by,
        organisation=tender.buyer,
        obj=tender,
        details={"reason": reason, "previous_status": str(previous)},
    )
    if previous in PUBLIC_STATUSES:
        change_record(tender=tender, kind=TenderChange.Kind.CANCELLED, summary=reason, by=by)
        alert_matches_write(tender=tender, event=Event.CANCELLED)
    return tender


@transaction.atomic
def award_criteria_set(
    *, tender: Tender, criteria: Sequence[tuple[str, int]], by: User
) -> list[AwardCriterion]:
    """Replace a draft's price-quality criteria: (name, weight) pairs whose weights add to 100."""
    _require_buyer(by, tender.buyer)
    lock(tender)
    if tender.status != Status.DRAFT:
        raise ValidationError(ONLY_DRAFTS_CAN_BE_CHANGED)
    cleaned = [(name.strip(), weight) for name, weight in criteria]
    errors = []
    if any(not name for name, _weight in cleaned):
        errors.append(CRITERION_NAME_REQUIRED)
    if len({name.casefold() for name, _weight in cleaned}) != len(cleaned):
        errors.append(CRITERION_NAMES_MUST_DIFFER)
    if any(not 1 <= weight <= 100 for _name, weight in cleaned):
        errors.append(WEIGHT_OUT_OF_RANGE)
    elif cleaned and sum(weight for _name, weight in cleaned) != 100:
        errors.append(WEIGHTS_MUST_ADD_UP_TO_100)
    if errors:
        raise ValidationError(errors)
    tender.award_criteria.all().delete()
    rows = AwardCriterion.objects.bulk_create(
        AwardCriterion(tender=tender, name=name, weight=weight, position=position)
        for position, (name, weight) in enumerate(cleaned, start=1)
    )
    audit_record(
        action="tender.criteria_changed",
        actor=by,
        organisation=tender.buyer,
        obj=tender,
        details={"criteria": [[name, weight] for name, weight in cleaned]},
    )
    return rows


@transaction.atomic
def lots_set(*, tender: Tender, lots: Sequence[LotData], by: User) -> list[Lot]:
    """Replace a draft's lots, numbered 1, 2, 3 … in the order given."""
    _require_buyer(by, tender.buyer)
    lock(tender)
    if tender.status != Status.DRAFT:
        raise ValidationError(ONLY_DRAFTS_CAN_BE_CHANGED)
    require_valid_lots(lots)
    tender.lots.all().delete()
    rows = Lot.objects.bulk_create(
        Lot(
            tender=tender,
            number=number,
            title=lot.title.strip(),
            description=lot.description,
            estimated_value=lot.estimated_value,
            suitable_for_local_smes=lot.suitable_for_local_smes,
        )
        for number, lot in enumerate(lots, start=1)
    )
    audit_record(
        action="tender.lots_changed",
        actor=by,
        organisation=tender.buyer,
        obj=tender,
        details={"lots": [lot.title.strip() for lot in lots]},
    )
    return rows
