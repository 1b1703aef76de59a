"""Sending the outbox: a failed e-mail is retried later with backoff, given up after the last
attempt, and the periodic command retries what failed (DESIGN §4.8)."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone

from marketplace.outbox.models import Message
from marketplace.outbox.services import message_write, messages_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class RefusingSmtpBackend(BaseEmailBackend):
    """An SMTP server that is down: every send fails."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


class PickyBackend(BaseEmailBackend):
    """An SMTP server that refuses one address and keeps what it accepts."""

    delivered: list[str] = []

    def send_messages(self, email_messages):
        for message in email_messages:
            if message.to == ["kapot@firma.example"]:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such user")})
            self.delivered.extend(message.to)
        return len(email_messages)


REFUSING = f"{__name__}.RefusingSmtpBackend"
PICKY = f"{__name__}.PickyBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def dana():
    return UserFactory(email="dana@firma.example")


@pytest.fixture
def written(dana):
    message_write(key="test:1", to_user=dana, subject="Nieuws", body="De deadline is verlengd.")
    return Message.objects.get()


def test_a_failed_send_is_retried_later_with_backoff(settings, written, dana, mailoutbox):
    start = timezone.now()
    settings.EMAIL_BACKEND = REFUSING
    with time_machine.travel(start, tick=False):
        assert messages_send() == {"sent": 0, "failed": 1}
    written.refresh_from_db()
    assert (written.attempts, written.sent_at) == (1, None)
    assert "ConnectionRefusedError" in written.last_error
    assert written.next_attempt_at == start + timedelta(minutes=2)

    settings.EMAIL_BACKEND = LOCMEM
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert messages_send() == {"sent": 0, "failed": 0}  # not due yet
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        assert messages_send() == {"sent": 1, "failed": 0}
        assert messages_send() == {"sent": 0, "failed": 0}

    assert [message.to for message in mailoutbox] == [[dana.email]]
    written.refresh_from_db()
    assert written.sent_at is not None and written.attempts == 2


def test_the_backoff_grows_and_gives_up_after_the_last_attempt(settings, written):
    settings.EMAIL_BACKEND = REFUSING
    now = timezone.now()
    waits = []
    for _attempt in range(Message.MAX_ATTEMPTS):
        with time_machine.travel(now, tick=False):
            assert messages_send()["failed"] == 1
        written.refresh_from_db()
        waits.append(written.next_attempt_at - now)
        now = written.next_attempt_at

    assert waits == [timedelta(minutes=2**n) for n in range(1, Message.MAX_ATTEMPTS + 1)]
    assert written.is_failed
    with time_machine.travel(now + timedelta(days=1), tick=False):
        assert messages_send() == {"sent": 0, "failed": 0}
    assert not Message.objects.pending().exists()


def test_one_refused_message_does_not_stop_the_others(settings, dana):
    settings.EMAIL_BACKEND = PICKY
    PickyBackend.delivered.clear()
    for n, address in enumerate(["a@firma.example", "kapot@firma.example", "b@firma.example"]):
        message_write(key=f"test:{n}", to_address=address, subject=f"Nieuws {n}", body="Tekst")

    assert messages_send() == {"sent": 2, "failed": 1}

    assert PickyBackend.delivered == ["a@firma.example", "b@firma.example"]
    refused = Message.objects.get(to_address="kapot@firma.example")
    assert refused.sent_at is None and "SMTPRecipientsRefused" in refused.last_error


def test_the_periodic_command_retries_what_failed(
    settings, dana, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = REFUSING
    with django_capture_on_commit_callbacks(execute=True):
        message_write(key="test:1", to_user=dana, subject="Nieuws", body="Tekst")
    assert Message.objects.get().attempts == 1  # the task ran after commit and failed

    settings.EMAIL_BACKEND = LOCMEM
    with time_machine.travel(timezone.now() + timedelta(minutes=3), tick=False):
        call_command("advance_tenders")
        call_command("advance_tenders")

    assert len(mailoutbox) == 1
