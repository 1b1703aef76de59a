"""Closing tenders at their deadline and the periodic command (DESIGN §4.3, §4.4)."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from marketplace.models import AuditEvent
from marketplace.outbox.models import Message
from marketplace.outbox.services import message_write
from tenders.models import Procedure, Status, Tender, TenderChange
from tenders.services.lifecycle import (
    QUOTE_DEADLINE_NOT_PASSED,
    UNANSWERED_QUESTIONS,
    tender_close,
    tenders_close_due,
)
from tenders.services.participation import answers_publish, question_answer, question_ask
from tests.tenders.factories import QuestionFactory, TenderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tender(buyer_org):
    return TenderFactory(buyer=buyer_org, published=True, procedure=Procedure.NATIONAL)


def advance() -> dict[str, int]:
    out = StringIO()
    call_command("advance_tenders", "--json", stdout=out)
    return json.loads(out.getvalue())


def after_deadline(tender, minutes: int = 1):
    return time_machine.travel(tender.quote_deadline + timedelta(minutes=minutes), tick=False)


def test_a_tender_closes_after_its_quote_deadline_once(tender):
    with after_deadline(tender):
        first = advance()
        second = advance()

    assert first["closed"] == 1
    assert second == {**second, "closed": 0, "blocked": 0, "buyers_told": 0, "sent": 0}
    tender.refresh_from_db()
    assert tender.status == Status.CLOSED
    assert TenderChange.objects.filter(tender=tender, kind=TenderChange.Kind.CLOSED).count() == 1
    assert AuditEvent.objects.filter(action="tender.closed", object_id=str(tender.pk)).count() == 1


def test_nothing_closes_before_the_deadline(tender):
    assert advance()["closed"] == 0
    tender.refresh_from_db()
    assert tender.status == Status.PUBLISHED
    with pytest.raises(ValidationError) as error:
        tender_close(tender=tender)
    assert error.value.messages == [str(QUOTE_DEADLINE_NOT_PASSED)]


def test_the_clock_says_closed_before_the_command_runs(tender):
    with after_deadline(tender):
        tender.refresh_from_db()
        assert tender.effective_status == Status.CLOSED
        assert tender.status == Status.PUBLISHED
        assert Tender.objects.in_status(Status.CLOSED).filter(pk=tender.pk).exists()


def test_an_unanswered_question_asked_in_time_blocks_closing(tender, firm, firm_user):
    question_ask(tender=tender, firm=firm, by=firm_user, text="Mag het in het weekend?")

    with after_deadline(tender):
        with pytest.raises(ValidationError) as error:
            tender_close(tender=tender)
        counts = advance()
        tender.refresh_from_db()
        assert tender.status == Status.PUBLISHED
        assert tender.effective_status == Status.CLOSED  # no more quotes, by the clock

    assert error.value.messages == [str(UNANSWERED_QUESTIONS)]
    assert (counts["closed"], counts["blocked"]) == (0, 1)


def test_an_answer_that_is_not_published_still_blocks(tender, firm, firm_user, buyer):
    question = question_ask(tender=tender, firm=firm, by=firm_user, text="Vraag?")
    question_answer(question=question, by=buyer, answer="Antwoord.")

    with after_deadline(tender):
        assert advance()["blocked"] == 1


def test_the_buyers_are_told_once_then_it_closes_after_publishing(
    tender, firm, firm_user, buyer, second_buyer, mailoutbox
):
    question = question_ask(tender=tender, firm=firm, by=firm_user, text="Vraag?")
    Message.objects.update(sent_at=timezone.now())  # the "new question" e-mails

    with after_deadline(tender, minutes=1):
        first = advance()
    with after_deadline(tender, minutes=2):
        second = advance()

    assert (first["buyers_told"], second["buyers_told"]) == (2, 0)
    assert second["blocked"] == 1
    told = sorted(message.to[0] for message in mailoutbox)
    assert told == sorted([buyer.email, second_buyer.email])
    assert "Vraag?" in mailoutbox[0].body

    with after_deadline(tender, minutes=3):
        question_answer(question=question, by=buyer, answer="Antwoord.")
        answers_publish(tender=tender, by=buyer)
        assert advance()["closed"] == 1
    tender.refresh_from_db()
    assert tender.status == Status.CLOSED


def test_a_question_asked_after_an_earlier_deadline_does_not_block(tender, firm):
    # A question the buyer took in after the (since shortened) question deadline.
    QuestionFactory(
        tender=tender, firm=firm, number=1, asked_at=tender.question_deadline + timedelta(hours=1)
    )

    with after_deadline(tender):
        assert advance()["closed"] == 1


def test_only_published_tenders_are_closed(buyer_org):
    past = timezone.now() - timedelta(days=1)
    deadlines = {"question_deadline": past - timedelta(days=1), "quote_deadline": past}
    draft = TenderFactory(buyer=buyer_org, **deadlines)
    cancelled = TenderFactory(buyer=buyer_org, status=Status.CANCELLED, **deadlines)

    assert advance()["closed"] == 0
    for tender in (draft, cancelled):
        old_status = tender.status
        tender.refresh_from_db()
        assert tender.status == old_status


def test_the_command_is_quiet_by_default(tender):
    out, err = StringIO(), StringIO()

    with after_deadline(tender):
        call_command("advance_tenders", stdout=out, stderr=err)

    assert out.getvalue() == "" and err.getvalue() == ""
    tender.refresh_from_db()
    assert tender.status == Status.CLOSED


def test_the_command_sends_what_is_due(tender, firm_user, mailoutbox):
    message_write(key="test:1", to_user=firm_user, subject="Nieuws", body="Tekst")

    assert advance()["sent"] == 1
    assert advance()["sent"] == 0
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_tender_another_run_holds_is_skipped(buyer_org):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks; skip_locked needs PostgreSQL")
    past = timezone.now() - timedelta(minutes=1)
    tender = TenderFactory(
        buyer=buyer_org,
        published=True,
        procedure=Procedure.NATIONAL,
        question_deadline=past - timedelta(days=1),
        quote_deadline=past,
    )
    locked, release = threading.Event(), threading.Event()

    def other_run() -> None:
        try:
            with transaction.atomic():
                Tender.objects.select_for_update().get(pk=tender.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=other_run)
    thread.start()
    try:
        assert locked.wait(timeout=30)
        assert tenders_close_due()["closed"] == 0
    finally:
        release.set()
        thread.join()

    assert tenders_close_due()["closed"] == 1
    assert tenders_close_due()["closed"] == 0
    assert AuditEvent.objects.filter(action="tender.closed").count() == 1
