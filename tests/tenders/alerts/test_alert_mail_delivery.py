"""An alert e-mail as it arrives at a real SMTP server (aiosmtpd in the test process): RFC 8058
headers with the subscription's own https URL, both parts, and the one-click POST a mail client
makes to that URL stops the alert without a session or CSRF token (issue 16 point 4)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from marketplace.outbox.sending import unsubscribe_headers
from marketplace.outbox.services import message_write, messages_send
from tenders.alerts.selectors import subscription_unsubscribe_url
from tenders.alerts.services import subscription_save
from tests.tenders.smtp_server import Inbox, smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(settings, firm, firm_user):
    settings.SITE_URL = "https://dichtbij.example"
    return subscription_save(
        user=firm_user, firm=firm.organisation, name="Schilderwerk", query={"cpv": "45440000"}
    )


def test_the_alert_mail_carries_one_click_unsubscribe_and_the_click_stops_it(alert, firm_user):
    url = subscription_unsubscribe_url(alert)
    message_write(
        key=f"alert-test:{alert.pk}",
        to_user=firm_user,
        subject="Nieuwe opdracht: schilderwerk",
        body=f"Schilderwerk gemeentehuis.\n\nAfmelden: {url}",
        headers=unsubscribe_headers(url),
        topic=f"subscription:{alert.pk}",
    )
    with smtp_server(Inbox()) as inbox:
        assert messages_send() == {"sent": 1, "failed": 0}

    [message] = inbox.messages
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [link] = re.findall(r"<([^>]+)>", message["List-Unsubscribe"])
    assert link == url and link.startswith("https://dichtbij.example/alerts/unsubscribe/")
    assert url in message.get_body(("plain",)).get_content()
    assert f'href="{url}"' in message.get_body(("html",)).get_content()

    path = urlsplit(link).path
    Client().get(path)  # a link scanner: changes nothing
    alert.refresh_from_db()
    assert not alert.paused
    mail_client = Client(enforce_csrf_checks=True)  # no session, no CSRF token
    response = mail_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    alert.refresh_from_db()
    assert alert.paused


def test_a_plain_http_unsubscribe_url_is_refused():
    with pytest.raises(ValueError, match="https"):
        unsubscribe_headers("http://dichtbij.example/alerts/unsubscribe/abc/")
