"""Firms taking part before they quote: following a tender, asking questions, and the buyer's
answers (DESIGN §4.4). The asker's identity stays with the buyer; other firms never learn it."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from marketplace.models import User
from marketplace.services import audit_record
from suppliers.models import Firm
from tenders.models import (
    ANSWER_MAX_LENGTH,
    PUBLIC_STATUSES,
    QUESTION_MAX_LENGTH,
    Follow,
    Question,
    Status,
    Tender,
    TenderChange,
)
from tenders.notifications import change_record, notification_rows, notifications_queue
from tenders.selectors.memberships import buyers_of
from tenders.selectors.questions import accepts_questions
from tenders.selectors.visibility import tenders_visible_to
from tenders.services.guards import lock, require_buyer, require_firm_member

CANNOT_FOLLOW = _("You can follow a tender once it is published.")
QUESTIONS_CLOSED = _("This tender takes no more questions: it is not open.")
QUESTION_DEADLINE_PASSED = _(
    "The deadline for questions has passed. You can no longer ask a question about this tender."
)
QUESTION_EMPTY = _("Type your question.")
QUESTION_TOO_LONG = _("Keep your question under %(limit)s characters (it has %(length)s).")
ANSWER_EMPTY = _("Type an answer.")
ANSWER_TOO_LONG = _("Keep the answer under %(limit)s characters (it has %(length)s).")
ANSWER_ALREADY_PUBLISHED = _(
    "This answer is already published and stays as it is. Publish a rectification if it needs "
    "correcting."
)
ANSWERS_CLOSED = _("Questions can no longer be answered: the tender is not published.")
NOTHING_TO_PUBLISH = _("There are no new answers to publish.")


def _require_visible(by: User, tender: Tender) -> None:
    # The same rule as the pages: a firm that may not see the tender learns nothing about it.
    if not tenders_visible_to(by).filter(pk=tender.pk).exists():
        raise PermissionDenied


def _text(value: str, *, empty, too_long, limit: int, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: ValidationError(empty, code="required")})
    if len(value) > limit:
        raise ValidationError(
            {
                field: ValidationError(
                    too_long, code="max_length", params={"limit": limit, "length": len(value)}
                )
            }
        )
    return value


# Following ---------------------------------------------------------------------------------------


@transaction.atomic
def tender_follow(*, tender: Tender, firm: Firm, by: User) -> Follow:
    """Follow a tender for a firm; following twice changes nothing."""
    require_firm_member(by, firm)
    _require_visible(by, tender)
    if tender.status not in PUBLIC_STATUSES:
        raise ValidationError(CANNOT_FOLLOW)
    follow, created = Follow.objects.get_or_create(tender=tender, firm=firm, defaults={"user": by})
    if created:
        audit_record(
            action="tender.followed",
            actor=by,
            organisation=firm.organisation,
            obj=tender,
            details={"reference": tender.reference},
        )
    return follow


@transaction.atomic
def tender_unfollow(*, tender: Tender, firm: Firm, by: User) -> bool:
    """Stop following; True when the firm was following."""
    require_firm_member(by, firm)
    _require_visible(by, tender)
    deleted, _rows = Follow.objects.filter(tender=tender, firm=firm).delete()
    if deleted:
        audit_record(
            action="tender.unfollowed",
            actor=by,
            organisation=firm.organisation,
            obj=tender,
            details={"reference": tender.reference},
        )
    return bool(deleted)


# Questions ---------------------------------------------------------------------------------------


@transaction.atomic
def question_ask(
    *, tender: Tender, firm: Firm, by: User, text: str, now: datetime | None = None
) -> Question:
    """Ask the buyer a question, numbered per tender; the firm follows the tender from now on."""
    require_firm_member(by, firm)
    _require_visible(by, tender)
    text = _text(
        text,
        empty=QUESTION_EMPTY,
        too_long=QUESTION_TOO_LONG,
        limit=QUESTION_MAX_LENGTH,
        field="text",
    )
    # The row lock serialises numbering, and the deadline is judged while holding it.
    lock(tender)
    now = now or timezone.now()
    if tender.status != Status.PUBLISHED:
        raise ValidationError(QUESTIONS_CLOSED)
    if not accepts_questions(tender, now):
        raise ValidationError(QUESTION_DEADLINE_PASSED, code="deadline_passed")
    last = tender.questions.aggregate(last=Max("number"))["last"] or 0
    question = Question.objects.create(
        tender=tender, number=last + 1, firm=firm, asked_by=by, text=text, asked_at=now
    )
    Follow.objects.get_or_create(tender=tender, firm=firm, defaults={"user": by})
    audit_record(
        action="tender.question_asked",
        actor=by,
        organisation=firm.organisation,
        obj=tender,
        details={"question": question.number},
    )
    _tell_buyers_of_question(question)
    return question


def _tell_buyers_of_question(question: Question) -> None:
    """One e-mail to each buyer of the organisation about a new question (the outbox)."""
    tender = question.tender
    url = settings.SITE_URL.rstrip("/") + reverse("tenders:questions", args=[tender.pk])
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(_("%(reference)s: new question %(number)s")) % {
            "reference": tender.reference,
            "number": question.number,
        }
        body = render_to_string(
            "tenders/email/question_asked.txt",
            {"tender": tender, "question": question, "url": url},
        )
    rows = notification_rows(
        key=f"question:{question.pk}",
        users=buyers_of(tender),
        tender=tender,
        subject=subject,
        body=body,
    )
    notifications_queue(rows=rows)


@transaction.atomic
def question_answer(*, question: Question, by: User, answer: str) -> Question:
    """Write or change the answer to a question; firms see it once the answers are published."""
    tender = question.tender
    require_buyer(by, tender)
    answer = _text(
        answer,
        empty=ANSWER_EMPTY,
        too_long=ANSWER_TOO_LONG,
        limit=ANSWER_MAX_LENGTH,
        field="answer",
    )
    lock(tender)
    question.refresh_from_db()
    if tender.status != Status.PUBLISHED:
        raise ValidationError(ANSWERS_CLOSED)
    if question.is_published:
        raise ValidationError(ANSWER_ALREADY_PUBLISHED)
    changed = question.answer != answer
    question.answer = answer
    question.answered_by = by
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    audit_record(
        action="tender.question_answered",
        actor=by,
        organisation=tender.buyer,
        obj=tender,
        details={"question": question.number, "changed": changed},
    )
    return question


@transaction.atomic
def answers_publish(*, tender: Tender, by: User) -> list[Question]:
    """Publish every answered, unpublished question at once; invited and following firms each
    get one e-mail (DESIGN §4.4: answers reach all firms at the same time)."""
    require_buyer(by, tender)
    lock(tender)
    if tender.status != Status.PUBLISHED:
        raise ValidationError(ANSWERS_CLOSED)
    questions = list(
        tender.questions.select_for_update()
        .filter(answered_at__isnull=False, published_at__isnull=True)
        .order_by("number")
    )
    if not questions:
        raise ValidationError(NOTHING_TO_PUBLISH)
    now = timezone.now()
    Question.objects.filter(pk__in=[q.pk for q in questions]).update(published_at=now)
    for question in questions:
        question.published_at = now
    numbers = [question.number for question in questions]
    audit_record(
        action="tender.answers_published",
        actor=by,
        organisation=tender.buyer,
        obj=tender,
        details={"questions": numbers},
    )
    with translation.override(settings.LANGUAGE_CODE):
        summary = ngettext(
            "The answer to question %(numbers)s is published.",
            "The answers to questions %(numbers)s are published.",
            len(numbers),
        ) % {"numbers": ", ".join(str(n) for n in numbers)}
    change_record(tender=tender, kind=TenderChange.Kind.ANSWERS, summary=summary, by=by)
    return questions
