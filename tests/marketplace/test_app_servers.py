"""Several app servers behind one address: what one server changes, the other shows at once
(DESIGN §7, issue 12.3). Two gunicorn processes share the database and the cache (``CACHE_URL``);
one visitor's cookies reach both, as behind a load balancer."""

from __future__ import annotations

import os

import pytest
from django.db import connection
from django.urls import reverse

from marketplace.models import Role
from tenders.models import Status, Tender
from tests.factories import MembershipFactory, UserFactory
from tests.marketplace.conftest import Visitor, database_url, server_environment
from tests.tenders.factories import TenderFactory

CACHE_URL = os.environ.get("CACHE_URL", "")
PASSWORD = "een lang wachtwoord voor twee servers"
TITLE = "Schilderwerk brandweerkazerne"

pytestmark = [
    pytest.mark.skipif(
        not CACHE_URL,
        reason="CACHE_URL is not set: app servers share a cache only there (.ci/run starts Redis)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def draft(baseline_data, buyer_org, settings):
    """An open (national) draft of Dordrecht, and its buyer with a password the servers can check
    (the tests' fast MD5 hasher is not one a real server accepts)."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    buyer = UserFactory(email="inkoper@dordrecht.example", password=PASSWORD)
    MembershipFactory(user=buyer, organisation=buyer_org, role=Role.BUYER_ADMIN)
    return TenderFactory(
        buyer=buyer_org,
        created_by=buyer,
        title=TITLE,
        procedure="national",
        tenderned_reference="7",
    )


@pytest.fixture
def two_servers(app_servers, draft, tmp_path):
    env = server_environment(DATABASE_URL=database_url(connection, tmp_path), CACHE_URL=CACHE_URL)
    return app_servers("a", env), app_servers("b", env)


def test_a_tender_published_through_one_server_is_on_the_others_list_at_once(draft, two_servers):
    a, b = two_servers
    buyer, anonymous = Visitor(), Visitor()

    logged_in = buyer.log_in(a, "inkoper@dordrecht.example", PASSWORD)
    assert logged_in.status == 200 and "/accounts/login/" not in logged_in.url, logged_in.url
    for server in (a, b):  # both servers cache the list without it
        assert TITLE not in anonymous.get(server, "/tenders/").text
        assert TITLE not in buyer.get(server, "/tenders/?status=open").text

    published = buyer.post(a, reverse("tenders:publish", args=[draft.pk]))  # a's session

    assert published.status == 200 and published.url.endswith(f"/tenders/{draft.pk}/"), a.log_tail()
    assert TITLE in anonymous.get(b, "/tenders/").text
    assert TITLE in buyer.get(b, "/tenders/?status=open").text  # b knows a's login too
    if connection.vendor == "postgresql":  # (SQLite: the servers share a file copy, not this one)
        assert Tender.objects.get(pk=draft.pk).status == Status.PUBLISHED
