"""The public tender list is cached (tenders.caching), and never shows what is no longer true."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tenders.models import Invitation
from tests.tenders.factories import LotFactory, TenderFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/tenders/"


def open_tender(buyer_org, **fields):
    return TenderFactory(
        buyer=buyer_org, published=True, procedure="national", tenderned_reference="1", **fields
    )


def page(client, url=LIST_URL) -> str:
    return client.get(url).content.decode()


def test_a_second_visit_is_served_from_the_cache(client, buyer_org, django_assert_num_queries):
    open_tender(buyer_org, title="Schilderwerk stadhuis")
    assert "Schilderwerk stadhuis" in page(client)

    with django_assert_num_queries(0):  # no tender rows, no counting: all from the cache
        assert "Schilderwerk stadhuis" in page(client)


def test_a_new_or_changed_tender_shows_at_once(client, buyer_org):
    tender = open_tender(buyer_org, title="Schilderwerk stadhuis")
    page(client)

    open_tender(buyer_org, title="Dakrenovatie gemeentewerf")
    tender.title = "Schilderwerk raadhuis"
    tender.save()
    html = page(client)

    assert "Dakrenovatie gemeentewerf" in html
    assert "Schilderwerk raadhuis" in html


def test_a_lot_or_an_invitation_changes_the_list(client, buyer_org, firm, firm_user):
    tender = open_tender(buyer_org, title="Groenonderhoud")
    assert "Groenonderhoud" not in page(client, LIST_URL + "?local_smes=on")
    LotFactory(tender=tender, suitable_for_local_smes=True)
    assert "Groenonderhoud" in page(client, LIST_URL + "?local_smes=on")

    invite_only = TenderFactory(buyer=buyer_org, published=True, title="Onderhands klusje")
    client.force_login(firm_user)
    assert "Onderhands klusje" not in page(client)
    Invitation.objects.create(tender=invite_only, firm=firm)
    assert "Onderhands klusje" in page(client)


def test_a_tender_is_closed_on_the_list_the_second_its_deadline_passes(client, buyer_org):
    deadline = timezone.now() + timedelta(hours=2)
    open_tender(
        buyer_org,
        title="Schilderwerk stadhuis",
        question_deadline=deadline - timedelta(hours=1),
        quote_deadline=deadline,
    )
    assert "Schilderwerk stadhuis" in page(client, LIST_URL + "?status=open")

    with time_machine.travel(deadline + timedelta(seconds=1)):
        assert "Schilderwerk stadhuis" not in page(client, LIST_URL + "?status=open")
        assert "Schilderwerk stadhuis" in page(client, LIST_URL + "?status=closed")


def test_visitors_never_get_each_others_list(client, buyer_org, buyer, firm_user):
    TenderFactory(buyer=buyer_org, published=True, title="Alleen voor genodigden")
    client.force_login(buyer)
    assert "Alleen voor genodigden" in page(client)  # the buyer's own invite-only tender

    client.logout()
    assert "Alleen voor genodigden" not in page(client)
    client.force_login(firm_user)
    assert "Alleen voor genodigden" not in page(client)
