"""Changes to a published tender: extending its deadlines and rectifying it (DESIGN §4.3).

Each writes an audit event and a public ``TenderChange``; following and invited firms get an
e-mail through the outbox (tenders.notifications). Cancelling is ``tender_cancel`` in
tenders.services.tenders, which records its change the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

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
from tenders.alerts.models import Event
from tenders.alerts.services import alert_matches_write
from tenders.models import (
    QUESTION_DEADLINE_NOT_BEFORE_QUOTE_DEADLINE,
    Lot,
    LotData,
    Status,
    Tender,
    TenderChange,
)
from tenders.notifications import change_record
from tenders.policy import QUESTION_DEADLINE_PASSED
from tenders.services.guards import lock, require_buyer, require_known_cpv
from tenders.services.tenders import tender_fields_save

ONLY_OPEN_TENDERS_CAN_BE_EXTENDED = _(
    "Only a published tender whose deadline for quotes has not passed can be extended."
)
ONLY_OPEN_TENDERS_CAN_BE_RECTIFIED = _(
    "Only a published tender whose deadline for quotes has not passed can be rectified."
)
QUOTE_DEADLINE_NOT_LATER = _("The new deadline for quotes must be later than the current one.")
QUESTION_DEADLINE_NOT_LATER = _(
    "The new deadline for questions must be later than the current one."
)
EXTEND_REASON_REQUIRED = _("Say why the deadline moves; firms will read it.")
RECTIFY_SUMMARY_REQUIRED = _("Describe what changed; firms will read it.")
RECTIFICATION_CHANGES_NOTHING = _(
    "Nothing changed. Change at least one field, or leave the tender as it is."
)

QUOTE_DEADLINE_MOVED = _("The deadline for quotes moves from %(old)s to %(new)s.")
QUESTION_DEADLINE_MOVED = _("The deadline for questions moves from %(old)s to %(new)s.")
CHANGED_FIELDS = _("Changed: %(fields)s.")

# What a rectification may change. Procedure, value and award criteria stay as published: a
# change there is a new tender (cancel and publish again), and the deadlines move by extension.
RECTIFIABLE_FIELDS = frozenset(
    {
        "title",
        "description",
        "main_cpv",
        "additional_cpv",
        "place_of_performance",
        "contact_name",
        "contact_email",
        "tenderned_reference",
        "lots",
    }
)


def _open_for_change(*, tender: Tender, by: User, refusal: str, now: datetime) -> None:
    """Check the buyer's role, lock the row, and refuse unless the tender is still open."""
    require_buyer(by, tender)
    lock(tender)
    if tender.status != Status.PUBLISHED or tender.quote_deadline <= now:
        raise ValidationError(refusal)


@transaction.atomic
def tender_extend(
    *,
    tender: Tender,
    by: User,
    quote_deadline: datetime,
    question_deadline: datetime | None = None,
    reason: str,
    now: datetime | None = None,
) -> TenderChange:
    """Move an open tender's deadlines later (never earlier) and tell the firms why."""
    now = now or timezone.now()
    _open_for_change(tender=tender, by=by, refusal=ONLY_OPEN_TENDERS_CAN_BE_EXTENDED, now=now)
    reason = reason.strip()
    errors: dict[str, list] = {}
    if quote_deadline <= tender.quote_deadline:
        errors.setdefault("quote_deadline", []).append(QUOTE_DEADLINE_NOT_LATER)
    if question_deadline is not None:
        if tender.question_deadline and question_deadline <= tender.question_deadline:
            errors.setdefault("question_deadline", []).append(QUESTION_DEADLINE_NOT_LATER)
        elif question_deadline <= now:
            errors.setdefault("question_deadline", []).append(QUESTION_DEADLINE_PASSED)
        elif question_deadline >= quote_deadline:
            errors.setdefault("question_deadline", []).append(
                QUESTION_DEADLINE_NOT_BEFORE_QUOTE_DEADLINE
            )
    if not reason:
        errors.setdefault("reason", []).append(EXTEND_REASON_REQUIRED)
    if errors:
        raise ValidationError(errors)

    before = {
        "quote_deadline": tender.quote_deadline,
        "question_deadline": tender.question_deadline,
    }
    tender.quote_deadline = quote_deadline
    if question_deadline is not None:
        tender.question_deadline = question_deadline
    tender.save(update_fields=["quote_deadline", "question_deadline", "updated_at"])
    caching.list_changed()

    with translation.override(settings.LANGUAGE_CODE):
        old, new = before["quote_deadline"], quote_deadline
        lines = [
            gettext(QUOTE_DEADLINE_MOVED) % {"old": formats.moment(old), "new": formats.moment(new)}
        ]
        if question_deadline is not None and before["question_deadline"] is not None:
            old, new = before["question_deadline"], question_deadline
            lines.append(
                gettext(QUESTION_DEADLINE_MOVED)
                % {"old": formats.moment(old), "new": formats.moment(new)}
            )
    summary = "\n".join([*lines, "", reason])
    audit_record(
        action="tender.extended",
        actor=by,
        organisation=tender.buyer,
        obj=tender,
        details={
            "reason": reason,
            **{
                f"{name}_before": value.isoformat() if value else None
                for name, value in before.items()
            },
            "quote_deadline": tender.quote_deadline.isoformat(),
            "question_deadline": (
                tender.question_deadline.isoformat() if tender.question_deadline else None
            ),
        },
    )
    change = change_record(tender=tender, kind=TenderChange.Kind.EXTENDED, summary=summary, by=by)
    alert_matches_write(tender=tender, event=Event.EXTENDED, event_key=str(change.pk))
    return change


@transaction.atomic
def tender_rectify(
    *, tender: Tender, by: User, summary: str, now: datetime | None = None, **fields: Any
) -> TenderChange:
    """Correct an open tender (description, CPV codes, lots, contact, …) and publish a summary
    of what changed; ``lots`` replaces the lots, keeping each number's row."""
    unknown = set(fields) - RECTIFIABLE_FIELDS
    if unknown:
        raise TypeError(f"Not rectifiable: {', '.join(sorted(unknown))}")
    now = now or timezone.now()
    _open_for_change(tender=tender, by=by, refusal=ONLY_OPEN_TENDERS_CAN_BE_RECTIFIED, now=now)
    summary = summary.strip()
    fields = dict(fields)
    lots = fields.pop("lots", None)
    additional_cpv = fields.pop("additional_cpv", None)
    errors: dict[str, list] = {}
    if not summary:
        errors["summary"] = [RECTIFY_SUMMARY_REQUIRED]
    if lots is not None and (lot_errors := LotData.problems(lots)):
        errors["lots"] = lot_errors
    codes = None
    if additional_cpv is not None:
        try:
            codes = require_known_cpv(additional_cpv)
        except ValidationError as error:
            errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)

    changed = tender_fields_save(tender=tender, fields=fields, additional_cpv=codes)
    if lots is not None and _lots_replace(tender, lots):
        changed.append("lots")
    if not changed:
        raise ValidationError(RECTIFICATION_CHANGES_NOTHING)
    caching.list_changed()

    with translation.override(settings.LANGUAGE_CODE):
        names = [
            str(Lot._meta.verbose_name_plural if name == "lots" else _field_label(name))
            for name in changed
        ]
        public_summary = f"{summary}\n\n" + gettext(CHANGED_FIELDS) % {"fields": ", ".join(names)}
    audit_record(
        action="tender.rectified",
        actor=by,
        organisation=tender.buyer,
        obj=tender,
        details={"fields": changed, "summary": summary},
    )
    change = change_record(
        tender=tender, kind=TenderChange.Kind.RECTIFIED, summary=public_summary, by=by
    )
    alert_matches_write(tender=tender, event=Event.RECTIFIED, event_key=str(change.pk))
    return change


def _field_label(name: str) -> str:
    return str(Tender._meta.get_field(name).verbose_name)


def _lots_replace(tender: Tender, lots: Sequence[LotData]) -> bool:
    """Make the tender's lots these, numbered 1, 2, 3 …; rows keep their number so anything
    that refers to lot 2 still does. True when anything changed."""
    existing = {lot.number: lot for lot in tender.lots.all()}
    changed = False
    for number, data in enumerate(lots, start=1):
        values = {
            "title": data.title.strip(),
            "description": data.description,
            "estimated_value": data.estimated_value,
            "suitable_for_local_smes": data.suitable_for_local_smes,
        }
        lot = existing.pop(number, None)
        if lot is None:
            Lot.objects.create(tender=tender, number=number, **values)
            changed = True
        elif any(getattr(lot, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(lot, name, value)
            lot.save()
            changed = True
    if existing:
        Lot.objects.filter(pk__in=[lot.pk for lot in existing.values()]).delete()
        changed = True
    return changed
