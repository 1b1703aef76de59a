"""Writing to the outbox: one message per key, to a user or to a plain address, sent only after
the writer's transaction commits (DESIGN §4.8, issue 16 point 3)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from marketplace.outbox.models import Message
from marketplace.outbox.services import message_write
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_message_to_a_user_is_sent_once_the_transaction_commits(
    mailoutbox, django_capture_on_commit_callbacks
):
    dana = UserFactory(email="dana@firma.example")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        written = message_write(key="test:1", to_user=dana, subject="Nieuws", body="Hallo Dana")
        assert mailoutbox == []  # nothing leaves before the commit

    assert written is True and len(callbacks) == 1
    assert [mail.to for mail in mailoutbox] == [["dana@firma.example"]]
    assert mailoutbox[0].body == "Hallo Dana"
    assert Message.objects.get().sent_at is not None


def test_a_message_to_a_plain_address_reaches_that_address(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message_write(
            key="test:firm", to_address="info@kwast.example", subject="Uitnodiging", body="Tekst"
        )

    assert [mail.to for mail in mailoutbox] == [["info@kwast.example"]]
    row = Message.objects.get()
    assert (row.recipient, row.address, row.language) == (None, "info@kwast.example", "nl")


def test_a_key_written_before_is_skipped(mailoutbox, django_capture_on_commit_callbacks):
    dana = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = message_write(key="test:1", to_user=dana, subject="Eerste", body="Tekst")
        second = message_write(key="test:1", to_user=dana, subject="Tweede", body="Tekst")

    assert (first, second) == (True, False)
    assert [mail.subject for mail in mailoutbox] == ["Eerste"]


def test_what_a_rolled_back_transaction_wrote_is_never_sent(
    mailoutbox, django_capture_on_commit_callbacks
):
    dana = UserFactory()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            message_write(key="test:1", to_user=dana, subject="Nieuws", body="Tekst")
            raise RuntimeError("the change failed")

    assert not Message.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    "to", [{}, {"to_address": "a@b.example", "to_user": "user"}], ids=["nobody", "both"]
)
def test_a_message_goes_to_a_user_or_an_address_exactly(to):
    if to.get("to_user") == "user":
        to["to_user"] = UserFactory()
    with pytest.raises(ValueError, match="exactly one"):
        message_write(key="test:1", subject="Nieuws", body="Tekst", **to)
    assert not Message.objects.exists()


def test_the_database_refuses_a_row_for_both_a_user_and_an_address():
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(
            key="x", recipient=user, to_address="a@b.example", subject="s", body="b"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(key="y", subject="s", body="b")


def test_the_rows_headers_html_and_language_go_into_the_e_mail(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message_write(
            key="test:1",
            to_address="info@kwast.example",
            subject="Hello",
            body="Plain text",
            headers={"List-Unsubscribe": "<https://dichtbij.example/alerts/u/abc/>"},
            language="en",
        )
        message_write(
            key="test:2",
            to_address="info@kwast.example",
            subject="Eigen opmaak",
            body="Tekst",
            html="<p>Eigen <b>opmaak</b></p>",
        )

    english, own = mailoutbox
    assert english.extra_headers["List-Unsubscribe"] == "<https://dichtbij.example/alerts/u/abc/>"
    [(html, kind)] = english.alternatives
    assert kind == "text/html" and '<html lang="en">' in html and "Plain text" in html
    assert own.alternatives[0][0] == "<p>Eigen <b>opmaak</b></p>"


def test_topics_find_a_subject_and_what_is_under_it():
    user = UserFactory()
    for key, topic in [("a", "tender:1"), ("b", "tender:1/change:4"), ("c", "tender:12")]:
        message_write(key=key, to_user=user, subject="s", body="b", topic=topic)

    assert sorted(Message.objects.about("tender:1").values_list("key", flat=True)) == ["a", "b"]
