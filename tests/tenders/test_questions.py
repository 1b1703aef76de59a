"""Questions and answers, the nota van inlichtingen's source (DESIGN §4.4, issue 4 item 5)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from marketplace.models import AuditEvent
from marketplace.outbox.models import Message
from tenders.models import (
    QUESTION_MAX_LENGTH,
    Follow,
    Procedure,
    Question,
    TenderChange,
)
from tenders.services.participation import (
    ANSWER_ALREADY_PUBLISHED,
    ANSWER_EMPTY,
    NOTHING_TO_PUBLISH,
    QUESTION_DEADLINE_PASSED,
    QUESTION_EMPTY,
    QUESTIONS_CLOSED,
    answers_publish,
    question_answer,
    question_ask,
)
from tests.tenders.factories import InvitationFactory, QuestionFactory, TenderFactory
from tests.tenders.pages import participation_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def tender(buyer_org):
    return TenderFactory(
        buyer=buyer_org, published=True, procedure=Procedure.NATIONAL, title="Schilderwerk"
    )


def ask(tender, firm, user, text="Mag de steiger op de stoep?"):
    return question_ask(tender=tender, firm=firm, by=user, text=text)


# Asking ------------------------------------------------------------------------------------------


def test_questions_are_numbered_per_tender_and_the_firm_follows(
    tender, buyer_org, firm, firm_user, other_firm, other_firm_user
):
    first = ask(tender, firm, firm_user)
    second = ask(tender, other_firm, other_firm_user, "Is er parkeerruimte?")
    other_tender = TenderFactory(buyer=buyer_org, published=True, procedure=Procedure.NATIONAL)
    elsewhere = ask(other_tender, firm, firm_user)

    assert (first.number, second.number, elsewhere.number) == (1, 2, 1)
    assert Follow.objects.filter(tender=tender, firm=firm).exists()
    assert AuditEvent.objects.filter(action="tender.question_asked").count() == 3


def test_the_buyers_hear_of_a_new_question(tender, firm, firm_user, buyer, second_buyer):
    question = ask(tender, firm, firm_user)

    notifications = Message.objects.filter(key__startswith=f"question:{question.pk}:")
    assert {n.recipient for n in notifications} == {buyer, second_buyer}
    assert "Mag de steiger op de stoep?" in notifications.first().body


def test_a_question_after_the_deadline_is_refused(tender, firm, firm_user):
    with time_machine.travel(tender.question_deadline + timedelta(seconds=1), tick=False):
        with pytest.raises(ValidationError) as error:
            ask(tender, firm, firm_user)

    assert error.value.messages == [str(QUESTION_DEADLINE_PASSED)]
    assert not Question.objects.exists()


def test_a_question_just_before_the_deadline_is_taken(tender, firm, firm_user):
    with time_machine.travel(tender.question_deadline - timedelta(seconds=1), tick=False):
        assert ask(tender, firm, firm_user).number == 1


def test_the_page_keeps_the_question_when_the_deadline_passed(client, tender, firm, firm_user):
    client.force_login(firm_user)
    text = "Wat is de kleur van het kozijn?"

    with time_machine.travel(tender.question_deadline + timedelta(minutes=5), tick=False):
        response = client.post(
            reverse("tenders:question_ask", args=[tender.pk]), {"question-text": text}
        )
        include = participation_html(firm_user, tender)

    assert response.status_code == 200
    html = response.content.decode()
    assert str(QUESTION_DEADLINE_PASSED) in html
    assert text in html
    assert 'name="question-text"' not in include  # no form after the deadline, a note instead


def test_an_empty_question_is_refused_and_the_form_says_so(client, tender, firm_user):
    client.force_login(firm_user)

    response = client.post(
        reverse("tenders:question_ask", args=[tender.pk]), {"question-text": "   "}
    )

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Question.objects.exists()
    with pytest.raises(ValidationError) as error:
        ask(tender, firm_user.memberships.get().organisation.firm, firm_user, "  ")
    assert error.value.message_dict["text"] == [str(QUESTION_EMPTY)]


def test_a_long_question_keeps_what_was_typed(client, tender, firm_user):
    client.force_login(firm_user)
    text = "Lang verhaal. " * (QUESTION_MAX_LENGTH // 10)

    response = client.post(
        reverse("tenders:question_ask", args=[tender.pk]), {"question-text": text}
    )

    assert response.status_code == 200
    assert text.strip() in response.content.decode()
    assert not Question.objects.exists()


def test_asking_through_the_page(client, tender, firm, firm_user):
    client.force_login(firm_user)

    response = client.post(
        reverse("tenders:question_ask", args=[tender.pk]),
        {"question-text": "Mag er op zaterdag gewerkt worden?"},
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#participation")
    assert Question.objects.get().firm == firm


def test_only_published_open_tenders_take_questions(buyer_org, firm, firm_user, buyer):
    past = timezone.now() - timedelta(days=1)
    closed = TenderFactory(
        buyer=buyer_org,
        published=True,
        procedure=Procedure.NATIONAL,
        question_deadline=past - timedelta(days=1),
        quote_deadline=past,
    )
    with pytest.raises(ValidationError) as error:
        ask(closed, firm, firm_user)
    assert error.value.messages == [str(QUESTION_DEADLINE_PASSED)]

    cancelled = TenderFactory(buyer=buyer_org, published=True, status="cancelled")
    with pytest.raises((ValidationError, PermissionDenied)):
        ask(cancelled, firm, firm_user)


def test_a_firm_asks_only_about_tenders_it_may_see(
    client, buyer_org, firm, firm_user, other_firm, other_firm_user
):
    invite_only = TenderFactory(buyer=buyer_org, published=True, procedure=Procedure.MULTIPLE)
    InvitationFactory(tender=invite_only, firm=firm)

    with pytest.raises(PermissionDenied):
        ask(invite_only, other_firm, other_firm_user)
    client.force_login(other_firm_user)
    url = reverse("tenders:question_ask", args=[invite_only.pk])
    assert client.post(url, {"question-text": "Hallo?"}).status_code == 404
    assert ask(invite_only, firm, firm_user).number == 1


def test_only_members_ask_for_a_firm(tender, firm, other_firm_user, buyer):
    for user in (other_firm_user, buyer):
        with pytest.raises(PermissionDenied):
            ask(tender, firm, user)


def test_another_firm_never_learns_who_asked(tender, firm, firm_user, other_firm_user):
    ask(tender, firm, firm_user, "Vraag van De Kwast")

    own = participation_html(firm_user, tender)
    other = participation_html(other_firm_user, tender)
    anonymous = participation_html(None, tender)

    assert "Vraag van De Kwast" in own
    for html in (other, anonymous):
        assert "Vraag van De Kwast" not in html
        assert "Schildersbedrijf De Kwast" not in html
        assert firm_user.email not in html


def test_the_buyer_sees_who_asked(client, tender, firm, firm_user, buyer):
    ask(tender, firm, firm_user, "Is de gevel van baksteen?")
    client.force_login(buyer)

    response = client.get(reverse("tenders:questions", args=[tender.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Schildersbedrijf De Kwast" in html
    assert "Is de gevel van baksteen?" in html


def test_firms_and_other_buyers_cannot_open_the_question_list(
    client, tender, firm, firm_user, other_buyer
):
    url = reverse("tenders:questions", args=[tender.pk])

    assert client.get(url)["Location"].startswith(reverse("account_login"))
    for user in (firm_user, other_buyer):
        client.force_login(user)
        assert client.get(url).status_code == 404


# Answering ---------------------------------------------------------------------------------------


def test_the_buyer_answers_and_publishes_all_at_once(
    tender, firm, firm_user, other_firm, other_firm_user, buyer
):
    first = ask(tender, firm, firm_user)
    second = ask(tender, other_firm, other_firm_user, "Tweede vraag?")
    unanswered = ask(tender, firm, firm_user, "Derde vraag?")
    question_answer(question=first, by=buyer, answer="Ja, met een vergunning.")
    question_answer(question=second, by=buyer, answer="Nee.")

    published = answers_publish(tender=tender, by=buyer)

    assert [q.number for q in published] == [1, 2]
    assert list(tender.questions.published().values_list("number", flat=True)) == [1, 2]
    unanswered.refresh_from_db()
    assert not unanswered.is_published
    change = TenderChange.objects.get(tender=tender, kind=TenderChange.Kind.ANSWERS)
    assert "1, 2" in change.summary
    with pytest.raises(ValidationError) as error:
        answers_publish(tender=tender, by=buyer)
    assert error.value.messages == [str(NOTHING_TO_PUBLISH)]


def test_firms_see_an_answer_only_once_it_is_published(tender, firm, firm_user, buyer):
    question = ask(tender, firm, firm_user)
    question_answer(question=question, by=buyer, answer="Alleen op werkdagen.")

    assert "Alleen op werkdagen." not in participation_html(firm_user, tender)

    answers_publish(tender=tender, by=buyer)

    assert "Alleen op werkdagen." in participation_html(firm_user, tender)


def test_a_published_answer_stays(tender, firm, firm_user, buyer):
    question = ask(tender, firm, firm_user)
    question_answer(question=question, by=buyer, answer="Ja.")
    answers_publish(tender=tender, by=buyer)

    with pytest.raises(ValidationError) as error:
        question_answer(question=question, by=buyer, answer="Toch niet.")

    assert error.value.messages == [str(ANSWER_ALREADY_PUBLISHED)]
    question.refresh_from_db()
    assert question.answer == "Ja."


def test_only_the_buyer_answers(client, tender, firm, firm_user, other_buyer):
    question = ask(tender, firm, firm_user)

    for user in (firm_user, other_buyer):
        with pytest.raises(PermissionDenied):
            question_answer(question=question, by=user, answer="Ja.")
        with pytest.raises(PermissionDenied):
            answers_publish(tender=tender, by=user)
        client.force_login(user)
        url = reverse("tenders:question_answer", args=[tender.pk, question.pk])
        assert client.post(url, {f"answer-{question.pk}-answer": "Ja."}).status_code == 404
    question.refresh_from_db()
    assert not question.is_answered


def test_the_answer_form_keeps_what_was_typed(client, tender, firm, firm_user, buyer):
    question = ask(tender, firm, firm_user)
    client.force_login(buyer)
    url = reverse("tenders:question_answer", args=[tender.pk, question.pk])

    empty = client.post(url, {f"answer-{question.pk}-answer": "  "})
    assert empty.status_code == 200
    assert 'aria-invalid="true"' in empty.content.decode()

    saved = client.post(url, {f"answer-{question.pk}-answer": "Ja, dat mag."})
    assert saved.status_code == 302
    question.refresh_from_db()
    assert question.answer == "Ja, dat mag."
    assert not question.is_published
    with pytest.raises(ValidationError) as error:
        question_answer(question=question, by=buyer, answer="")
    assert error.value.message_dict["answer"] == [str(ANSWER_EMPTY)]


def test_the_buyer_page_counts_and_publishes(client, tender, firm, firm_user, buyer):
    first = ask(tender, firm, firm_user)
    ask(tender, firm, firm_user, "Nog een vraag?")
    question_answer(question=first, by=buyer, answer="Ja.")
    client.force_login(buyer)

    page = client.get(reverse("tenders:questions", args=[tender.pk]))
    assert page.context["unanswered"] == 1
    assert page.context["to_publish"] == 1
    assert reverse("tenders:answers_publish", args=[tender.pk]) in page.content.decode()

    response = client.post(reverse("tenders:answers_publish", args=[tender.pk]))

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.is_published
    assert AuditEvent.objects.filter(action="tender.answers_published").exists()


def test_publishing_answers_emails_each_follower_once(
    tender,
    buyer,
    firm,
    firm_user,
    other_firm,
    other_firm_user,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    InvitationFactory(tender=tender, firm=firm)  # invited and following: still one e-mail
    first = ask(tender, firm, firm_user)
    second = ask(tender, other_firm, other_firm_user, "Tweede vraag?")
    question_answer(question=first, by=buyer, answer="Ja.")
    question_answer(question=second, by=buyer, answer="Nee.")
    Message.objects.update(sent_at=timezone.now())  # the buyers' "new question" e-mails

    with django_capture_on_commit_callbacks(execute=True):
        answers_publish(tender=tender, by=buyer)

    recipients = sorted(address for message in mailoutbox for address in message.to)
    assert recipients == sorted([firm_user.email, other_firm_user.email])
    assert all(tender.reference in message.subject for message in mailoutbox)


def test_answers_to_a_cancelled_tender_are_refused(tender, firm, firm_user, buyer):
    question = QuestionFactory(tender=tender, firm=firm, number=1, answered=True)
    tender.status = "cancelled"
    tender.save(update_fields=["status"])

    with pytest.raises(ValidationError):
        answers_publish(tender=tender, by=buyer)
    with pytest.raises(ValidationError):
        question_answer(question=question, by=buyer, answer="Ja.")


def test_a_closed_tender_takes_no_questions(buyer_org, firm, firm_user):
    tender = TenderFactory(buyer=buyer_org, published=True, procedure=Procedure.NATIONAL)
    tender.status = "closed"
    tender.save(update_fields=["status"])

    with pytest.raises(ValidationError) as error:
        ask(tender, firm, firm_user)

    assert error.value.messages == [str(QUESTIONS_CLOSED)]


@pytest.mark.django_db(transaction=True)
def test_two_firms_asking_at_the_same_moment_get_different_numbers(
    buyer_org, firm, firm_user, other_firm, other_firm_user
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; row locks need PostgreSQL")
    tender = TenderFactory(buyer=buyer_org, published=True, procedure=Procedure.NATIONAL)
    start = threading.Barrier(2)
    numbers, failures = [], []

    def run(firm, user) -> None:
        try:
            start.wait()
            numbers.append(ask(tender, firm, user).number)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=args)
        for args in ((firm, firm_user), (other_firm, other_firm_user))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert sorted(numbers) == [1, 2]
