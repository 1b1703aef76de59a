"""Before the deadline nobody can read or even count the quotes (DESIGN §4.5, issue 5 "Attacks"):
not the buyer, not a superuser, not the Wagtail admin, not the API. Each place is asked twice —
with no quotes and with two — and must answer the same, without a price."""

from __future__ import annotations

import difflib
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from marketplace.models import AuditEvent
from tenders.models import Procedure, Quote
from tests.factories import UserFactory
from tests.tenders.factories_vault import (
    PDF_MARKER,
    SECRET_NOTE,
    SECRET_PRICE_TEXTS,
    open_tender,
    send_quote,
)

pytestmark = pytest.mark.django_db

SECRETS = (*SECRET_PRICE_TEXTS, SECRET_NOTE, PDF_MARKER, "KLUISNAAM")
VOLATILE = re.compile(
    r'(csrfmiddlewaretoken" value="|csrf_token": "|csrfToken": "|CSRF_TOKEN": "|nonce=")[^"]*|'
    r'data-w-session-[\w-]+="[^"]*"'
)


@pytest.fixture
def tender(buyer_org):
    return open_tender(buyer_org, title="Schilderwerk stadhuis", procedure=Procedure.NATIONAL)


@pytest.fixture
def superuser(db):
    return UserFactory(email="beheer@dichtbij.example", is_staff=True, is_superuser=True)


@pytest.fixture
def frozen(tender):
    """A fixed moment a day before the deadline, so that pages differ only by the quotes."""
    with time_machine.travel(tender.quote_deadline - timedelta(days=1), tick=False) as clock:
        yield clock


def two_quotes(tender, firm, firm_user, other_firm, other_firm_user) -> list[Quote]:
    return [send_quote(tender, firm, firm_user), send_quote(tender, other_firm, other_firm_user)]


def page(client, url: str) -> tuple[int, str]:
    response = client.get(url, follow=True)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, VOLATILE.sub("", body.decode(errors="replace"))


def assert_same(full: list[tuple[int, str]], empty: list[tuple[int, str]]) -> None:
    """Each answer with quotes is the answer without them (the diff shows what gave them away)."""
    for (status, html), (empty_status, empty_html) in zip(full, empty, strict=True):
        assert status == empty_status
        diff = difflib.unified_diff(empty_html.splitlines(), html.splitlines(), lineterm="", n=1)
        assert html == empty_html, "\n".join(diff)


def assert_no_secret(text: str, quotes: list[Quote]) -> None:
    for secret in SECRETS:
        assert secret not in text
    for quote in quotes:
        assert quote.receipt_code not in text


def test_the_buyers_quote_page_shows_nothing_and_no_count_before_the_opening(
    client, tender, buyer, firm, firm_user, other_firm, other_firm_user, frozen
):
    client.force_login(buyer)
    url = reverse("tenders:quotes", args=[tender.pk])

    empty = page(client, url)
    quotes = two_quotes(tender, firm, firm_user, other_firm, other_firm_user)
    full = page(client, url)

    assert full[0] == 403
    assert_same([full], [empty])
    assert_no_secret(full[1], quotes)
    assert "Schildersbedrijf De Kwast" not in full[1]
    attempts = AuditEvent.objects.filter(action="vault.access_refused", object_id=str(tender.pk))
    assert attempts.count() == 2 and attempts.first().actor == buyer


def test_the_buyers_file_url_is_refused_and_recorded_before_the_opening(
    client, tender, buyer, firm, firm_user, frozen
):
    quote = send_quote(tender, firm, firm_user)
    client.force_login(buyer)

    status, html = page(
        client, reverse("tenders:quote_file", args=[tender.pk, quote.pk, quote.files.get().pk])
    )

    assert status == 403
    assert_no_secret(html, [quote])
    assert AuditEvent.objects.filter(
        action="vault.access_refused", object_id=str(tender.pk), details__what="quote_file"
    ).exists()


def test_the_tender_page_and_the_opening_page_give_no_count(
    client, tender, buyer, firm, firm_user, other_firm, other_firm_user, frozen
):
    client.force_login(buyer)
    urls = [
        reverse("tenders:detail", args=[tender.pk]),
        reverse("tenders:opening", args=[tender.pk]),
        reverse("tenders:dashboard"),
    ]

    empty = [page(client, url) for url in urls]
    quotes = two_quotes(tender, firm, firm_user, other_firm, other_firm_user)
    full = [page(client, url) for url in urls]

    assert [status for status, _html in full] == [200, 200, 200]
    assert_same(full, empty)
    for _status, html in full:
        assert_no_secret(html, quotes)


def test_a_superuser_cannot_reach_the_quotes_before_the_opening(
    client, tender, superuser, firm, firm_user, frozen
):
    quote = send_quote(tender, firm, firm_user)
    client.force_login(superuser)

    for url in (
        reverse("tenders:quotes", args=[tender.pk]),
        reverse("tenders:opening", args=[tender.pk]),
        reverse("tenders:quote_file", args=[tender.pk, quote.pk, quote.files.get().pk]),
        reverse("tenders:quote_receipt", args=[tender.pk, quote.receipt_code]),
    ):
        status, html = page(client, url)
        assert status == 404, url
        # The receipt number is in the typed URL (and so in the language switch's "next").
        assert_no_secret(html.replace(url, ""), [quote])


def test_the_wagtail_admin_shows_no_quote_and_no_count(
    client, tender, superuser, firm, firm_user, other_firm, other_firm_user, frozen
):
    client.force_login(superuser)
    urls = [
        "/admin/",
        "/admin/snippets/",
        "/admin/pages/search/?q=Schilderwerk",
        "/admin/pages/search/?q=48213.77",
        "/admin/pages/search/?q=offerte",
        "/admin/users/?q=firma",
    ]

    empty = [page(client, url) for url in urls]
    quotes = two_quotes(tender, firm, firm_user, other_firm, other_firm_user)
    full = [page(client, url) for url in urls]

    assert [status for status, _html in full] == [200] * len(urls)
    assert_same(full, empty)
    for url, (_status, html) in zip(urls, full, strict=True):
        typed = url.partition("?q=")[2]  # the search box shows what was typed
        assert_no_secret(html.replace(typed, "") if typed else html, quotes)
    for quote in quotes:  # searching a receipt number finds what a made-up one finds
        _status, found = page(client, f"/admin/pages/search/?q={quote.receipt_code}")
        _status, made_up = page(client, "/admin/pages/search/?q=CODE")
        assert found.replace(quote.receipt_code, "CODE") == made_up


def test_the_api_shows_no_quote_and_no_count(
    client, tender, firm, firm_user, other_firm, other_firm_user, frozen
):
    urls = [
        "/api/tenders",
        f"/api/tenders/{tender.pk}/ocds",
        "/api/ocds/releases",
    ]

    empty = [page(client, url) for url in urls]
    quotes = two_quotes(tender, firm, firm_user, other_firm, other_firm_user)
    full = [page(client, url) for url in urls]

    assert [status for status, _html in full] == [200] * len(urls)
    assert_same(full, empty)
    for _status, body in full:
        assert_no_secret(body, quotes)
        assert "numberOfTenderers" not in body and '"bids"' not in body
