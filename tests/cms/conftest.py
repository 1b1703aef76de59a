"""The association's page tree, built the bakerydemo way: add_child, then publish a revision."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cms.models import (
    EventIndexPage,
    EventPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    SpeerpuntenIndexPage,
    SpeerpuntPage,
    StandardPage,
)


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def figure_block(kind: str, label: str, **parameters) -> dict:
    return {"type": "live_figure", "value": {"kind": kind, "label": label, **parameters}}


@pytest.fixture
def home(db) -> HomePage:
    return HomePage.objects.get()


@pytest.fixture
def speerpunten_index(home) -> SpeerpuntenIndexPage:
    return publish(
        home,
        SpeerpuntenIndexPage(
            title="Speerpunten",
            slug="speerpunten",
            intro="<p>Waar wij voor staan.</p>",
            foreword="<p>Een woord vooraf van het bestuur.</p>",
        ),
    )


@pytest.fixture
def news_index(home) -> NewsIndexPage:
    return publish(home, NewsIndexPage(title="Nieuws", slug="nieuws"))


@pytest.fixture
def event_index(home) -> EventIndexPage:
    return publish(home, EventIndexPage(title="Bijeenkomsten", slug="bijeenkomsten"))


def make_speerpunt(index, title: str, *, body=None, live: bool = True, **extra) -> SpeerpuntPage:
    page = SpeerpuntPage(
        title=title, summary=f"Samenvatting van {title.lower()}.", body=body or [], **extra
    )
    if live:
        return publish(index, page)
    page.live = False
    index.add_child(instance=page)
    page.save_revision()
    return page


def make_news(index, title: str, *, days_ago: int = 0) -> NewsPage:
    return publish(
        index,
        NewsPage(
            title=title,
            summary=f"Kort: {title}.",
            date=timezone.localdate() - timedelta(days=days_ago),
        ),
    )


def make_event(index, title: str, *, capacity: int | None = 20, in_days: int = 14) -> EventPage:
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=in_days)
    return publish(
        index,
        EventPage(
            title=title,
            summary="Ondernemers en inkopers ontmoeten elkaar.",
            start=start,
            end=start + timedelta(hours=2),
            place="Villa Augustus, Dordrecht",
            address="Oranjelaan 7",
            capacity=capacity,
        ),
    )


@pytest.fixture
def standard_page(home) -> StandardPage:
    return publish(home, StandardPage(title="Over ons", slug="over-ons", intro="Wie wij zijn."))


@pytest.fixture
def moderator(db):
    """Gijs: a Wagtail moderator, who approves what editors submit."""
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    user = UserFactory(email="gijs@dichtbij.example", first_name="Gijs")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user
