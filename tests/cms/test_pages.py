"""The association's pages as a visitor sees them, and which page goes where."""

from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from cms.models import (
    EventIndexPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    SpeerpuntenIndexPage,
    SpeerpuntPage,
    StandardPage,
)
from tests.cms.conftest import make_event, make_news, make_speerpunt

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_speerpunten_index_lists_live_speerpunten_in_the_editors_order(client, speerpunten_index):
    make_speerpunt(speerpunten_index, "Lokaal inkopen")
    make_speerpunt(speerpunten_index, "Bereikbaarheid")
    make_speerpunt(speerpunten_index, "Geheim concept", live=False)

    response = client.get("/speerpunten/")

    content = response.content.decode()
    assert response.status_code == 200
    assert content.index("Lokaal inkopen") < content.index("Bereikbaarheid")
    assert "Geheim concept" not in content
    assert "speerpuntenboekje" in content.lower() or "boekje" in content


def test_an_empty_speerpunten_index_says_so(client, speerpunten_index):
    content = client.get("/speerpunten/").content.decode()

    assert "Er zijn nog geen speerpunten gepubliceerd." in content


def test_a_speerpunt_page_shows_its_summary_and_body(client, speerpunten_index):
    make_speerpunt(
        speerpunten_index,
        "Vakmensen en onderwijs",
        body=[
            {"type": "heading", "value": "Waarom dit telt"},
            {"type": "paragraph", "value": "<p>Zonder vakmensen geen werk.</p>"},
            {"type": "quote", "value": {"text": "Leer het vak bij ons.", "attribution": "Jan"}},
            {"type": "facts", "value": {"heading": "Feiten", "facts": ["Tekort aan monteurs"]}},
        ],
    )

    content = client.get("/speerpunten/vakmensen-en-onderwijs/").content.decode()

    assert "Samenvatting van vakmensen en onderwijs." in content
    assert "<h2>Waarom dit telt</h2>" in content
    assert "Leer het vak bij ons." in content
    assert "Tekort aan monteurs" in content
    assert 'aria-label="Kruimelpad"' in content
    assert 'property="og:title" content="Vakmensen en onderwijs"' in content


def test_a_draft_speerpunt_is_a_404_for_visitors(client, speerpunten_index):
    make_speerpunt(speerpunten_index, "Nog niet klaar", live=False)

    assert client.get("/speerpunten/nog-niet-klaar/").status_code == 404


def test_an_expired_page_is_a_404_even_before_the_job_ran(client, speerpunten_index):
    page = make_speerpunt(speerpunten_index, "Verlopen")
    SpeerpuntPage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - timedelta(hours=1))

    assert client.get("/speerpunten/verlopen/").status_code == 404
    assert "Verlopen" not in client.get("/speerpunten/").content.decode()


def test_news_is_newest_first_with_an_atom_feed(client, news_index):
    make_news(news_index, "Oud nieuws", days_ago=10)
    make_news(news_index, "Vers nieuws", days_ago=1)

    content = client.get("/nieuws/").content.decode()
    feed = client.get("/nieuws/feed.atom")

    assert content.index("Vers nieuws") < content.index("Oud nieuws")
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(feed.content)
    titles = [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]
    assert root.tag == f"{ATOM}feed"
    assert titles == ["Vers nieuws", "Oud nieuws"]


def test_an_unpublished_news_item_leaves_the_feed(client, news_index):
    item = make_news(news_index, "Ingetrokken bericht")
    item.unpublish()

    assert "Ingetrokken bericht" not in client.get("/nieuws/feed.atom").content.decode()
    assert client.get("/nieuws/ingetrokken-bericht/").status_code == 404


def test_events_list_the_coming_ones_and_say_when_there_are_none(client, event_index):
    assert (
        "Er staan nu geen bijeenkomsten gepland." in client.get("/bijeenkomsten/").content.decode()
    )

    make_event(event_index, "Netwerkavond Dordrecht")

    content = client.get("/bijeenkomsten/").content.decode()
    assert "Netwerkavond Dordrecht" in content
    assert "Villa Augustus, Dordrecht" in content


def test_the_home_page_shows_the_next_event_and_the_latest_speerpunten_and_news(
    client, speerpunten_index, news_index, event_index
):
    make_speerpunt(speerpunten_index, "Duurzaam ondernemen")
    make_news(news_index, "Nieuwe leden in Zwijndrecht")
    make_event(event_index, "Ondernemersontbijt", in_days=3)

    content = client.get("/").content.decode()

    assert "Duurzaam ondernemen" in content
    assert "Nieuwe leden in Zwijndrecht" in content
    assert "Ondernemersontbijt" in content


def test_standard_pages_are_in_the_footer(client, standard_page):
    content = client.get("/").content.decode()

    assert '<a href="/over-ons/">Over ons</a>' in content


def test_the_pages_speak_english_too(english_client, speerpunten_index):
    content = english_client.get("/speerpunten/").content.decode()

    assert "No speerpunten have been published yet." in content


def test_page_types_go_only_where_they_belong():
    assert SpeerpuntPage.allowed_parent_page_models() == [SpeerpuntenIndexPage]
    assert NewsPage.allowed_parent_page_models() == [NewsIndexPage]
    assert set(HomePage.allowed_subpage_models()) == {
        SpeerpuntenIndexPage,
        NewsIndexPage,
        EventIndexPage,
        StandardPage,
    }
    assert SpeerpuntPage.allowed_subpage_models() == []


def test_the_superuser_can_add_a_speerpunten_index_under_the_home_page(admin_client, home):
    response = admin_client.get(f"/admin/pages/add/cms/speerpuntenindexpage/{home.pk}/")

    assert response.status_code == 200
