"""Accounts with django-allauth: e-mail login, verification, password reset, MFA, Dutch first."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from marketplace.models import User
from tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "Zonnebloem-aan-de-Merwede-42"


@pytest.fixture(autouse=True)
def _production_account_rules(settings):
    """Verification is mandatory whatever the environment says, and allauth's rate limits (counted
    in the cache) start from zero in every test."""
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    cache.clear()
    yield
    cache.clear()


def logged_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def link_in(message: mail.EmailMessage) -> str:
    """The path of the single link in an e-mail from the site."""
    match = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


# Signing up and verifying the address -------------------------------------------------------------


def test_signing_up_sends_a_verification_email(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "name": "Nina Nieuw",
            "email": "nieuw@firma.example",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nieuw@firma.example"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    user = User.objects.get(email="nieuw@firma.example")
    assert user.get_full_name() == "Nina Nieuw"
    assert not EmailAddress.objects.get(email="nieuw@firma.example").verified


def test_sign_up_asks_the_name_and_keeps_what_was_typed(client, db):
    page = client.get("/accounts/signup/").content.decode()
    assert "Je naam" in page

    response = client.post(
        "/accounts/signup/",
        {
            "name": "  ",
            "email": "nieuw@firma.example",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "Vul je naam in." in content
    assert 'value="nieuw@firma.example"' in content
    assert not User.objects.filter(email="nieuw@firma.example").exists()


def test_the_password_rules_say_je_like_the_rest_of_the_site(client, db):
    page = client.get("/accounts/signup/").content.decode()
    response = client.post(
        "/accounts/signup/",
        {
            "name": "Nina",
            "email": "nieuw@firma.example",
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    texts = page + response.content.decode()

    assert "wachtwoord" in texts.lower()
    assert "Uw " not in texts and " uw " not in texts


def test_the_link_in_the_verification_email_verifies_the_address(client, db):
    client.post(
        "/accounts/signup/",
        {
            "name": "Nina Nieuw",
            "email": "nieuw@firma.example",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    link = link_in(mail.outbox[0])

    page = client.get(link)

    assert page.status_code == 200
    assert "nieuw@firma.example" in page.content.decode()
    assert not EmailAddress.objects.get(email="nieuw@firma.example").verified

    confirmed = client.post(link)

    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email="nieuw@firma.example").verified


def test_a_verified_newcomer_can_log_in(client, db):
    client.post(
        "/accounts/signup/",
        {
            "name": "Nina Nieuw",
            "email": "nieuw@firma.example",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    client.post(link_in(mail.outbox[0]))
    client.logout()

    response = client.post(
        "/accounts/login/", {"login": "nieuw@firma.example", "password": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert logged_in_user_id(client) == str(User.objects.get(email="nieuw@firma.example").pk)


def test_signing_up_twice_with_the_same_address_creates_no_second_account(client, buyer):
    client.post(
        "/accounts/signup/",
        {
            "name": "Tweede",
            "email": buyer.email,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert User.objects.filter(email=buyer.email).count() == 1
    assert logged_in_user_id(client) is None


def test_mismatched_passwords_keep_the_typed_address(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "name": "Nina Nieuw",
            "email": "nieuw@firma.example",
            "password1": NEW_PASSWORD,
            "password2": "iets-anders-1",
        },
    )

    assert response.status_code == 200
    assert 'value="nieuw@firma.example"' in response.content.decode()
    assert not User.objects.filter(email="nieuw@firma.example").exists()
    assert mail.outbox == []


# Logging in ---------------------------------------------------------------------------------------


def test_logging_in_with_email_and_password_opens_the_dashboard(client, buyer):
    response = client.post("/accounts/login/", {"login": buyer.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert logged_in_user_id(client) == str(buyer.pk)


def test_a_wrong_password_does_not_log_in(client, buyer):
    response = client.post("/accounts/login/", {"login": buyer.email, "password": "fout"})

    assert response.status_code == 200
    assert logged_in_user_id(client) is None
    assert 'value="alice@dordrecht.example"' in response.content.decode()


def test_an_unverified_person_cannot_log_in_and_is_asked_to_verify(client, db):
    person = UserFactory(email="onbevestigd@firma.example", verified=False)
    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)

    response = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert logged_in_user_id(client) is None
    assert client.get("/dashboard/").status_code == 302


# Password reset -----------------------------------------------------------------------------------


def test_password_reset_sends_one_email_to_a_known_address(client, buyer):
    response = client.post("/accounts/password/reset/", {"email": buyer.email})

    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [buyer.email]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_the_reset_link_lets_the_person_choose_a_new_password(client, buyer):
    client.post("/accounts/password/reset/", {"email": buyer.email})
    link = link_in(mail.outbox[0])

    form = client.get(link, follow=True)
    form_path = form.redirect_chain[-1][0] if form.redirect_chain else link
    changed = client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert changed.status_code == 302
    buyer.refresh_from_db()
    assert buyer.check_password(NEW_PASSWORD)


# Two-factor authentication ------------------------------------------------------------------------


def test_a_logged_in_person_can_open_the_two_factor_page(client, buyer):
    client.force_login(buyer)

    response = client.get(reverse("mfa_index"))

    assert reverse("mfa_index") == "/accounts/2fa/"
    assert response.status_code == 200


def test_an_anonymous_visitor_is_sent_to_log_in_before_two_factor_settings(client, db):
    response = client.get(reverse("mfa_index"))

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


# Language -----------------------------------------------------------------------------------------


def test_the_login_page_speaks_dutch_by_default(client, db):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert "Inloggen" in response.content.decode()
    assert '<html lang="nl">' in response.content.decode()


def test_the_browsers_language_does_not_switch_to_english(client, db):
    response = client.get("/accounts/login/", headers={"accept-language": "en"})

    assert "Inloggen" in response.content.decode()


def test_the_language_switch_gives_english(client, db):
    client.cookies["django_language"] = "en"

    response = client.get("/accounts/login/")

    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "Log in" in content
    assert "Inloggen" not in content


def test_choosing_english_with_the_switch_sets_the_cookie(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    assert "Log in" in client.get("/accounts/login/").content.decode()
