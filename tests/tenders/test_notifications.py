"""The outbox: every invited or following firm's people hear of a change exactly once, and a
failed e-mail is retried later (DESIGN §4.3, §4.8)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from marketplace.models import Role
from tenders.models import Follow, Notification, Procedure, TenderChange
from tenders.notifications import change_record, notifications_send, notifications_write
from tests.factories import FirmFactory, MembershipFactory, UserFactory
from tests.tenders.factories import InvitationFactory, TenderFactory

pytestmark = pytest.mark.django_db


class RefusingSmtpBackend(BaseEmailBackend):
    """An SMTP server that is down: every send fails."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


REFUSING = f"{__name__}.RefusingSmtpBackend"


@pytest.fixture
def tender(buyer_org):
    return TenderFactory(buyer=buyer_org, published=True, procedure=Procedure.NATIONAL)


def record(tender, summary: str = "De deadline is verlengd.") -> TenderChange:
    return change_record(tender=tender, kind=TenderChange.Kind.EXTENDED, summary=summary)


def test_one_row_per_member_of_each_invited_or_following_firm(
    tender, firm, firm_user, other_firm, other_firm_user, buyer
):
    colleague = UserFactory(email="collega@firma.example")
    MembershipFactory(user=colleague, organisation=firm.organisation, role=Role.FIRM_MEMBER)
    InvitationFactory(tender=tender, firm=firm)
    Follow.objects.create(tender=tender, firm=firm)  # invited and following: still once each
    Follow.objects.create(tender=tender, firm=other_firm)
    bystander = FirmFactory(organisation__name="Niet betrokken")
    MembershipFactory(organisation=bystander.organisation, role=Role.FIRM_ADMIN)
    inactive = UserFactory(is_active=False)
    MembershipFactory(user=inactive, organisation=other_firm.organisation)

    change = record(tender)

    recipients = list(change.notifications.values_list("recipient__email", flat=True))
    assert sorted(recipients) == sorted([firm_user.email, colleague.email, other_firm_user.email])


def test_the_unique_key_prevents_duplicates(tender, firm, firm_user):
    Follow.objects.create(tender=tender, firm=firm)
    change = record(tender)

    notifications_write(change=change)
    notifications_write(change=change)

    assert Notification.objects.filter(change=change).count() == 1


def test_each_person_gets_the_e_mail_exactly_once(
    tender, firm, firm_user, mailoutbox, django_capture_on_commit_callbacks
):
    Follow.objects.create(tender=tender, firm=firm)

    with django_capture_on_commit_callbacks(execute=True):
        record(tender, "Nieuwe deadline: 1 april.")
    notifications_send()
    notifications_send()

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [firm_user.email]
    assert "Nieuwe deadline: 1 april." in mailoutbox[0].body
    assert Notification.objects.get().sent_at is not None


def test_a_failed_send_is_retried_later_with_backoff(settings, tender, firm, firm_user, mailoutbox):
    Follow.objects.create(tender=tender, firm=firm)
    record(tender)
    start = timezone.now()

    settings.EMAIL_BACKEND = REFUSING
    with time_machine.travel(start, tick=False):
        assert notifications_send() == {"sent": 0, "failed": 1}
    row = Notification.objects.get()
    assert (row.attempts, row.sent_at) == (1, None)
    assert "ConnectionRefusedError" in row.last_error
    assert row.next_attempt_at == start + timedelta(minutes=2)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert notifications_send() == {"sent": 0, "failed": 0}  # not due yet
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        assert notifications_send() == {"sent": 1, "failed": 0}
        assert notifications_send() == {"sent": 0, "failed": 0}

    assert [message.to for message in mailoutbox] == [[firm_user.email]]
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2


def test_the_backoff_grows_and_gives_up_after_the_last_attempt(settings, tender, firm, firm_user):
    Follow.objects.create(tender=tender, firm=firm)
    record(tender)
    settings.EMAIL_BACKEND = REFUSING
    now = timezone.now()
    waits = []

    for _attempt in range(Notification.MAX_ATTEMPTS):
        with time_machine.travel(now, tick=False):
            assert notifications_send()["failed"] == 1
        row = Notification.objects.get()
        waits.append(row.next_attempt_at - now)
        now = row.next_attempt_at

    assert waits == [timedelta(minutes=2**n) for n in range(1, Notification.MAX_ATTEMPTS + 1)]
    with time_machine.travel(now + timedelta(days=1), tick=False):
        assert notifications_send() == {"sent": 0, "failed": 0}
    assert not Notification.objects.pending().exists()


def test_the_periodic_command_retries_what_failed(
    settings, tender, firm, firm_user, mailoutbox, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    Follow.objects.create(tender=tender, firm=firm)
    settings.EMAIL_BACKEND = REFUSING
    with django_capture_on_commit_callbacks(execute=True):
        record(tender)  # the task runs after commit and fails
    assert Notification.objects.get().attempts == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(timezone.now() + timedelta(minutes=3), tick=False):
        call_command("advance_tenders")
        call_command("advance_tenders")

    assert len(mailoutbox) == 1
