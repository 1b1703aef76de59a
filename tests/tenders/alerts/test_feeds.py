"""Atom feeds: every public search, and each subscription's own behind its token."""

from __future__ import annotations

import feedparser
import pytest

from marketplace.models import CpvCode
from tenders.alerts.services import subscription_save
from tenders.models import Procedure
from tests.tenders.factories import PAINTING, TenderFactory

pytestmark = pytest.mark.django_db


def test_a_search_is_a_valid_atom_feed_of_public_tenders_only(client, public, buyer_org):
    public(main_cpv=CpvCode.objects.get(pk=PAINTING), title="Schilderwerk school")
    public(title="Advies inkoop")
    TenderFactory(
        buyer=buyer_org,
        published=True,
        procedure=Procedure.SINGLE,  # invite-only: never in a feed
        title="Schilderwerk geheim",
        main_cpv=CpvCode.objects.get(pk=PAINTING),
    )
    response = client.get("/tenders/feed.atom?cpv=45440000")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.version == "atom10" and not feed.bozo
    titles = [entry.title for entry in feed.entries]
    assert len(titles) == 1 and titles[0].endswith("Schilderwerk school")
    assert feed.entries[0].id.startswith("tag:dichtbij,2026:tender:")


def test_the_list_page_links_its_feed_with_the_same_filters(client):
    page = client.get("/tenders/?cpv=45440000").content.decode()
    assert 'type="application/atom+xml"' in page
    assert 'href="/tenders/feed.atom?cpv=45440000"' in page


def test_a_subscription_feed_needs_its_token(client, firm, firm_user, public):
    public(main_cpv=CpvCode.objects.get(pk=PAINTING), title="Schilderwerk school")
    alert = subscription_save(
        user=firm_user, firm=firm.organisation, name="Schilder", query={"cpv": "45440000"}
    )
    feed = feedparser.parse(client.get(f"/alerts/feed/{alert.token}.atom").content)
    assert [entry.title.split(" · ")[1] for entry in feed.entries] == ["Schilderwerk school"]
    assert client.get(f"/alerts/feed/{alert.token}x.atom").status_code == 404
