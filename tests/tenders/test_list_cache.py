"""The public tender list is cached (tenders.caching), and never shows what is no longer true:
every service that changes what it shows forgets it."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation

from marketplace import formats
from tenders.models import Invitation, Lot, Tender
from tenders.services.changes import tender_extend, tender_rectify
from tenders.services.invitations import invitation_add
from tenders.services.tenders import LotData, tender_cancel, tender_create, tender_publish
from tests.tenders.factories import TenderFactory, publishable_fields

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


def test_a_new_or_changed_tender_shows_at_once(client, buyer_org, buyer):
    tender = open_tender(buyer_org, title="Schilderwerk stadhuis")
    page(client)

    fields = publishable_fields(title="Dakrenovatie", procedure="national", tenderned_reference="1")
    draft = tender_create(buyer=buyer_org, by=buyer, **fields)
    tender_publish(tender=draft, by=buyer)
    tender_rectify(tender=tender, by=buyer, summary="Andere titel.", title="Schilderwerk raadhuis")
    html = page(client)

    assert "Dakrenovatie" in html
    assert "Schilderwerk raadhuis" in html


def test_a_lot_or_an_invitation_changes_the_list(client, buyer_org, buyer, firm, firm_user):
    tender = open_tender(buyer_org, title="Groenonderhoud")
    assert "Groenonderhoud" not in page(client, LIST_URL + "?local_smes=on")
    lots = [LotData("Plantsoenen", suitable_for_local_smes=True)]
    tender_rectify(tender=tender, by=buyer, summary="Een perceel voor het mkb.", lots=lots)
    assert "Groenonderhoud" in page(client, LIST_URL + "?local_smes=on")

    invite_only = TenderFactory(buyer=buyer_org, published=True, title="Onderhands klusje")
    client.force_login(firm_user)
    assert "Onderhands klusje" not in page(client)
    # Added to an open tender, the invitation is sent at once: written with .update(), which
    # no post_save handler would see.
    invitation_add(tender=invite_only, firm=firm, reason="Lokale schilder.", by=buyer)
    assert "Onderhands klusje" in page(client)


def test_an_extended_or_cancelled_tender_shows_at_once(client, buyer_org, buyer):
    tender = open_tender(buyer_org, title="Schilderwerk stadhuis")
    later = tender.quote_deadline + timedelta(days=7)
    with translation.override("nl"):
        assert formats.moment(later) not in page(client)

        tender_extend(tender=tender, by=buyer, quote_deadline=later, reason="Meer tijd.")
        assert formats.moment(later) in page(client)

    tender_cancel(tender=tender, by=buyer, reason="Geen budget meer.")
    assert "Schilderwerk stadhuis" not in page(client)


def test_the_list_is_forgotten_by_the_services_not_by_model_signals():
    # post_save and post_delete miss .update(), bulk_create and raw writes: the services that
    # change what the list shows call tenders.caching.list_changed themselves.
    for signal in (post_save, post_delete):
        for model in (Tender, Lot, Invitation):
            assert not signal.has_listeners(model), (signal, model)


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
