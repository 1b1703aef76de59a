"""Tenders moving on with the clock: closing after the quote deadline (DESIGN §4.3, §4.4).

How this meets ``Tender.effective_status``: the clock alone decides whether quotes are still
taken, so ``effective_status`` reports *closed* as soon as the quote deadline passed — on every
read, with or without a background job, and also while closing is blocked. ``tender_close`` is
the separate, recorded step (``status = closed``, an audit event, a public change) that the
following steps (opening the vault) rely on. It is refused while questions asked before the
question deadline have no published answer; such a tender keeps the recorded status *published*
until the buyer publishes the answers (or extends the deadline), and its buyers are told once.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from marketplace.services import audit_record
from tenders import caching
from tenders.models import Question, Status, Tender, TenderChange
from tenders.notifications import notification_rows, notifications_queue
from tenders.selectors.memberships import buyers_of
from tenders.selectors.questions import close_blockers
from tenders.services.guards import lock

NOT_PUBLISHED = _("Only a published tender can close.")
QUOTE_DEADLINE_NOT_PASSED = _("The tender closes when the deadline for quotes has passed.")
UNANSWERED_QUESTIONS = _(
    "The tender cannot close: questions asked before the question deadline still have no "
    "published answer. Answer and publish them, or extend the deadline."
)
logger = logging.getLogger(__name__)

CLOSED_SUMMARY = _("The deadline for quotes has passed; no more quotes are accepted.")


@transaction.atomic
def tender_close(*, tender: Tender, now: datetime | None = None) -> Tender:
    """Record that a published tender closed at its quote deadline; refused while in-time
    questions are unanswered. Done by the periodic command, so there is no acting user."""
    lock(tender)
    now = now or timezone.now()
    if tender.status != Status.PUBLISHED:
        raise ValidationError(NOT_PUBLISHED, code="not_published")
    if tender.quote_deadline is None or tender.quote_deadline > now:
        raise ValidationError(QUOTE_DEADLINE_NOT_PASSED, code="not_due")
    blockers = close_blockers(tender)
    if blockers:
        raise ValidationError(UNANSWERED_QUESTIONS, code="unanswered_questions")
    tender.status = Status.CLOSED
    tender.save(update_fields=["status", "updated_at"])
    caching.list_changed()
    # Public on the tender's page, but no e-mail: every firm knew the deadline.
    with translation.override(settings.LANGUAGE_CODE):
        TenderChange.objects.create(
            tender=tender, kind=TenderChange.Kind.CLOSED, summary=str(CLOSED_SUMMARY)
        )
    audit_record(
        action="tender.closed",
        organisation=tender.buyer,
        obj=tender,
        details={"quote_deadline": tender.quote_deadline.isoformat()},
    )
    return tender


def close_blockers_notify(*, tender: Tender, questions: list[Question]) -> int:
    """Tell each buyer once per deadline that the tender cannot close; returns how many new
    notifications were written (none when they were told before)."""
    stamp = int(tender.quote_deadline.timestamp()) if tender.quote_deadline else 0
    url = settings.SITE_URL.rstrip("/") + reverse("tenders:questions", args=[tender.pk])
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(_("%(reference)s cannot close: questions without an answer")) % {
            "reference": tender.reference
        }
        body = render_to_string(
            "tenders/email/close_blocked.txt",
            {"tender": tender, "questions": questions, "url": url},
        )
    rows = notification_rows(
        key=f"close-blocked:{tender.pk}:{stamp}",
        users=buyers_of(tender),
        tender=tender,
        subject=subject,
        body=body,
    )
    return notifications_queue(rows=rows)


def tenders_close_due(*, now: datetime | None = None) -> dict[str, int]:
    """Close every published tender whose quote deadline passed, one transaction each.

    Safe to run concurrently: a tender another run holds is skipped (``skip_locked``), and a
    tender is only closed while its recorded status is still *published*.
    """
    now = now or timezone.now()
    counts = {"closed": 0, "blocked": 0, "buyers_told": 0, "errors": 0}
    due = Tender.objects.filter(status=Status.PUBLISHED, quote_deadline__lte=now).order_by(
        "quote_deadline", "pk"
    )
    for pk in list(due.values_list("pk", flat=True)):
        try:
            _close_one(pk, now, counts)
        except Exception:  # noqa: BLE001 - one broken tender must not hold up all the others
            logger.exception("Could not advance tender %s", pk)
            counts["errors"] += 1
    return counts


def _close_one(pk: int, now: datetime, counts: dict[str, int]) -> None:
    with transaction.atomic():
        tender = (
            Tender.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=pk, status=Status.PUBLISHED, quote_deadline__lte=now)
            .select_related("buyer")
            .first()
        )
        if tender is None:
            return
        blockers = close_blockers(tender)
        if blockers:
            counts["blocked"] += 1
            counts["buyers_told"] += close_blockers_notify(tender=tender, questions=blockers)
        else:
            tender_close(tender=tender, now=now)
            counts["closed"] += 1
