"""Issue 17.9: login throttling per account and per IP separately, in the shared cache, with the
client IP read right behind a configured number of trusted proxies."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.conftest import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "een-goed-wachtwoord-42"


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def people():
    users = [UserFactory(email=f"{n}@dordrecht.example") for n in ("anna", "bram")]
    for user in users:
        user.set_password(PASSWORD)
        user.save()
    return users


def login(client, email, password, ip="203.0.113.5", forwarded=None):
    headers = {"REMOTE_ADDR": ip}
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post("/accounts/login/", {"login": email, "password": password}, **headers)


def test_ten_failures_for_one_account_do_not_block_another_from_the_same_ip(client, people):
    anna, bram = people
    for _attempt in range(10):
        login(client, anna.email, "fout")

    response = login(client, bram.email, PASSWORD)

    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(bram.pk)


def test_the_account_is_throttled_from_other_ips(client, people):
    anna, _bram = people
    for attempt in range(10):
        login(client, anna.email, "fout", ip=f"198.51.100.{attempt}")

    response = login(client, anna.email, PASSWORD, ip="192.0.2.77")

    # allauth refuses the correct password with its form error (HTTP 200, not logged in).
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_behind_one_trusted_proxy_the_forwarded_ip_counts(client, people, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {"login": "60/m/ip", "login_failed": "50/5m/key,3/5m/ip"}
    anna, bram = people
    for _attempt in range(3):
        login(client, anna.email, "fout", ip="10.0.0.1", forwarded="198.51.100.9")

    # Another client behind the same proxy is not blocked; the attacker's own address is.
    assert (
        login(client, bram.email, PASSWORD, ip="10.0.0.1", forwarded="203.0.113.8").status_code
        == 302
    )
    client.logout()
    blocked = login(client, bram.email, PASSWORD, ip="10.0.0.1", forwarded="198.51.100.9")
    assert blocked.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
