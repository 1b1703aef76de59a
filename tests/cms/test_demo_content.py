"""seed_demo's cms part: the tree, six speerpunten with live figures, idempotent, editors win."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from cms.models import EventPage, NewsPage, SpeerpuntPage, StandardPage
from marketplace.models import User

pytestmark = pytest.mark.django_db


def seed() -> dict[str, int]:
    out = io.StringIO()
    call_command("seed_cms_demo", stdout=out)
    return json.loads(out.getvalue())


def test_the_demo_tree_has_speerpunten_news_events_and_standard_pages(client, reference_data):
    counts = seed()

    speerpunten = SpeerpuntPage.objects.live()
    assert counts["pages_created"] == 1 + 6 + 1 + 4 + 1 + 3 + 3
    assert speerpunten.count() >= 6
    assert NewsPage.objects.live().count() == 4
    assert EventPage.objects.live().count() == 3
    assert set(StandardPage.objects.values_list("slug", flat=True)) == {
        "over-ons",
        "privacy",
        "toegankelijkheid",
    }
    for page in speerpunten:
        assert any(block.block_type == "live_figure" for block in page.body), page.title
    assert client.get("/speerpunten/").status_code == 200
    assert client.get("/bijeenkomsten/").status_code == 200
    assert "Netwerkavond Dordrecht" in client.get("/bijeenkomsten/").content.decode()


def test_the_moderator_can_log_in_with_the_demo_password(reference_data):
    seed()

    moderator = User.objects.get(email="moderator@dichtbij.example")
    assert moderator.check_password("dichtbij-demo")
    assert moderator.groups.filter(name="Moderators").exists()


def test_seeding_again_creates_nothing_and_keeps_an_editors_edits(reference_data):
    seed()
    page = SpeerpuntPage.objects.get(slug="bereikbaarheid")
    page.title = "Bereikbaarheid: de brug moet open"
    page.summary = "Door de redactie herschreven."
    page.save_revision().publish()

    counts = seed()

    page.refresh_from_db()
    assert counts["pages_created"] == 0
    assert page.title == "Bereikbaarheid: de brug moet open"
    assert page.summary == "Door de redactie herschreven."
    assert SpeerpuntPage.objects.filter(slug="bereikbaarheid").count() == 1


def test_a_deleted_demo_page_is_filled_in_again_and_the_others_stay_put(reference_data):
    seed()
    SpeerpuntPage.objects.get(slug="duurzaam-ondernemen").delete()

    seed()

    # Recreated (the seed fills gaps), and the others keep their place and content.
    titles = list(SpeerpuntPage.objects.order_by("path").values_list("title", flat=True))
    assert titles[0] == "Lokaal inkopen"
    assert titles.count("Duurzaam ondernemen") == 1
