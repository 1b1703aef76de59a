"""allauth's own e-mails speak as the site (issue 16 point 4): the site's name in the greeting,
subject and sender, a Message-ID on the site's domain, never the request's host."""

from __future__ import annotations

from email.utils import parseaddr

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.tenders.smtp_server import Inbox, smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    settings.SITE_URL = "https://dichtbij.example"
    settings.SITE_NAME = "Dichtbij Drechtsteden"
    settings.ALLOWED_HOSTS = ["127.0.0.1"]


def test_a_password_reset_mail_names_the_site_not_the_host(site):
    UserFactory(email="dana@firma.example")
    with smtp_server(Inbox()) as inbox:
        Client(HTTP_HOST="127.0.0.1:8000").post(
            "/accounts/password/reset/", {"email": "dana@firma.example"}
        )

    [message] = inbox.messages
    assert inbox.recipients == ["dana@firma.example"]
    assert message["Subject"].startswith("[Dichtbij Drechtsteden] ")
    assert parseaddr(message["From"])[0] == "Dichtbij Drechtsteden"
    assert message["Message-ID"].endswith("@dichtbij.example>")
    text = message.get_body(("plain",)).get_content()
    assert "Dichtbij Drechtsteden" in text
    # The host of the request appears only in the reset link itself, never as the site's name.
    lines_with_host = [line for line in text.splitlines() if "127.0.0.1" in line]
    assert lines_with_host and all("/accounts/password/reset/key/" in x for x in lines_with_host)


def test_the_confirmation_mail_of_a_sign_up_names_the_site(site, mailoutbox):
    Client(HTTP_HOST="127.0.0.1:8000").post(
        "/accounts/signup/",
        {
            "name": "Nina Nieuw",
            "email": "nieuw@firma.example",
            "password1": "Zonnebloem-aan-de-Merwede-42",
            "password2": "Zonnebloem-aan-de-Merwede-42",
        },
    )

    [mail] = mailoutbox
    assert mail.subject.startswith("[Dichtbij Drechtsteden] ")
    assert "Dichtbij Drechtsteden" in mail.body
    assert "127.0.0.1:8000!" not in mail.body and "op 127.0.0.1:8000" not in mail.body
