"""A tender's changes through the outbox: every invited or following firm's people hear of a
change exactly once (DESIGN §4.3, §4.8); retries are tested in tests/marketplace/outbox/."""

from __future__ import annotations

from email.utils import parseaddr

import pytest

from marketplace.models import Role
from marketplace.outbox.models import Message
from tenders.models import Follow, Procedure, TenderChange
from tenders.notifications import (
    change_record,
    change_topic,
    notifications_send,
    notifications_write,
    tender_topic,
)
from tests.factories import FirmFactory, MembershipFactory, UserFactory
from tests.tenders.factories import InvitationFactory, TenderFactory

pytestmark = pytest.mark.django_db


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

    rows = Message.objects.filter(topic=change_topic(change))
    recipients = list(rows.values_list("recipient__email", flat=True))
    assert sorted(recipients) == sorted([firm_user.email, colleague.email, other_firm_user.email])


def test_the_unique_key_prevents_duplicates(tender, firm, firm_user):
    Follow.objects.create(tender=tender, firm=firm)
    change = record(tender)

    notifications_write(change=change)
    notifications_write(change=change)

    assert Message.objects.filter(topic=change_topic(change)).count() == 1


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
    assert Message.objects.get().sent_at is not None


def test_the_change_e_mail_that_arrives_links_the_tender(
    settings, tender, firm, firm_user, django_capture_on_commit_callbacks
):
    from tests.tenders.smtp_server import Inbox, smtp_server

    settings.SITE_URL = "https://dichtbij.example"
    Follow.objects.create(tender=tender, firm=firm)
    with smtp_server(Inbox()) as inbox, django_capture_on_commit_callbacks(execute=True):
        record(tender, "Nieuwe deadline: 1 april.")

    [message] = inbox.messages
    assert inbox.recipients == [firm_user.email]
    assert parseaddr(message["From"])[0] == "Dichtbij"
    assert tender.reference in message["Subject"]
    url = f"https://dichtbij.example/tenders/{tender.pk}/"
    assert url in message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert f'href="{url}"' in html and "Nieuwe deadline: 1 april." in html
    assert Message.objects.about(tender_topic(tender)).get().sent_at is not None
