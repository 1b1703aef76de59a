"""Questions as the pages and services read them: until when a tender takes questions, and which
unanswered questions keep it from closing (DESIGN §4.4)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from tenders.models import Question, Status, Tender


def question_deadline_of(tender: Tender) -> datetime | None:
    """Until when questions are taken: the question deadline, else the quote deadline."""
    return tender.question_deadline or tender.quote_deadline


def accepts_questions(tender: Tender, now: datetime | None = None) -> bool:
    """True while firms may still ask questions (server time, DESIGN §4.3)."""
    now = now or timezone.now()
    deadline = question_deadline_of(tender)
    open_for_quotes = tender.status == Status.PUBLISHED and (
        tender.quote_deadline is None or now < tender.quote_deadline
    )
    return open_for_quotes and (deadline is None or now < deadline)


def close_blockers(tender: Tender) -> list[Question]:
    """The questions asked in time whose answer is not yet published: while there are any, the
    tender cannot close (DESIGN §4.4). An answer only counts once firms can read it."""
    questions = tender.questions.filter(published_at__isnull=True)
    if tender.question_deadline is not None:
        questions = questions.filter(asked_at__lt=tender.question_deadline)
    return list(questions.order_by("number"))
