"""The association's demo content: the page tree, speerpunten, news, events, standard pages and
the moderator login. Idempotent: a page that exists (by slug) is left as the editors made it."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page

from cms.demo import content
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
from marketplace.models import User
from tenders.demo import DEMO_PASSWORD

MODERATOR = ("moderator@dichtbij.example", "Ruben", "Visser")


def _child(parent: Page, slug: str, build) -> tuple[Page, bool]:
    """The child with this slug; built and published when there is none yet."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific, False
    page = build()
    page.slug = slug
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def _moderator() -> User:
    email, first, last = MODERATOR
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first, "last_name": last}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def cms_demo_seed() -> dict[str, int]:
    """Create what is missing of the demo tree; returns how many pages were created."""
    _moderator()
    home = HomePage.objects.get()
    created = 0
    index, new = _child(
        home,
        "speerpunten",
        lambda: SpeerpuntenIndexPage(
            title="Speerpunten", intro=content.INDEX_INTRO, foreword=content.FOREWORD
        ),
    )
    created += new
    for slug, title, summary, body in content.SPEERPUNTEN:
        _page, new = _child(
            index,
            slug,
            lambda t=title, s=summary, b=body: SpeerpuntPage(title=t, summary=s, body=b),
        )
        created += new

    news_index, new = _child(home, "nieuws", lambda: NewsIndexPage(title="Nieuws"))
    created += new
    today = timezone.localdate()
    for slug, title, summary, days_ago, body in content.NEWS:
        _page, new = _child(
            news_index,
            slug,
            lambda t=title, s=summary, d=days_ago, b=body: NewsPage(
                title=t, summary=s, date=today - timedelta(days=d), body=b
            ),
        )
        created += new

    event_index, new = _child(home, "bijeenkomsten", lambda: EventIndexPage(title="Bijeenkomsten"))
    created += new
    for slug, title, summary, days, hour, place, address, capacity in content.EVENTS:
        start = timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour)))
        _page, new = _child(
            event_index,
            slug,
            lambda t=title, s=summary, st=start, p=place, a=address, c=capacity: EventPage(
                title=t,
                summary=s,
                start=st,
                end=st + timedelta(hours=2),
                place=p,
                address=a,
                capacity=c,
            ),
        )
        created += new

    for slug, title, intro, body in content.STANDARD_PAGES:
        _page, new = _child(
            home, slug, lambda t=title, i=intro, b=body: StandardPage(title=t, intro=i, body=b)
        )
        created += new
    return {"pages_created": created}
