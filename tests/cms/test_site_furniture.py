"""Site search, sitemap, menu and footer."""

from __future__ import annotations

import pytest

from tests.cms.conftest import make_news, make_speerpunt

pytestmark = pytest.mark.django_db


def test_site_search_finds_live_pages_only(client, speerpunten_index):
    make_speerpunt(speerpunten_index, "Bereikbaarheid van bedrijventerreinen")
    make_speerpunt(speerpunten_index, "Bedrijventerreinen geheim", live=False)

    content = client.get("/zoeken/?q=bedrijventerreinen").content.decode()

    assert "Bereikbaarheid van bedrijventerreinen" in content
    assert "Bedrijventerreinen geheim" not in content


def test_site_search_says_when_nothing_was_found(client, home):
    content = client.get("/zoeken/?q=zeppelin").content.decode()

    assert "Niets gevonden voor “zeppelin”. Probeer een ander woord." in content


def test_the_sitemap_lists_live_pages_only(client, speerpunten_index, news_index):
    make_speerpunt(speerpunten_index, "Lokaal inkopen")
    make_speerpunt(speerpunten_index, "Concept", live=False)
    make_news(news_index, "Open dag")

    content = client.get("/sitemap.xml").content.decode()

    assert "/speerpunten/lokaal-inkopen/</loc>" in content
    assert "/nieuws/open-dag/</loc>" in content
    assert "/speerpunten/concept/" not in content


def test_the_menu_leads_to_speerpunten_news_and_events(client, speerpunten_index):
    content = client.get("/speerpunten/").content.decode()

    assert '<a href="/speerpunten/" aria-current="page">Speerpunten</a>' in content
    assert '<a href="/nieuws/" >Nieuws</a>' in content or '<a href="/nieuws/">Nieuws</a>' in content
    assert ">Bijeenkomsten</a>" in content
    assert 'rel="icon"' in content
