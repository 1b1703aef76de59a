"""The news as Atom 1.0 and each event as an iCalendar file (RFC 5545)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

FEED_ITEMS = 20


def news_feed(request: HttpRequest, index) -> HttpResponse:
    """The newest news items as an Atom feed."""
    feed = Atom1Feed(
        title=_("Dichtbij news"),
        link=index.full_url,
        description=_("News from the regional business association"),
        language="nl",
        feed_url=request.build_absolute_uri(),
    )
    for item in index.news()[:FEED_ITEMS]:
        published = timezone.make_aware(datetime.combine(item.date, datetime.min.time()))
        feed.add_item(
            title=item.title,
            link=item.full_url,
            description=item.summary,
            pubdate=published,
            updateddate=item.last_published_at or published,
            unique_id=item.full_url,
        )
    return HttpResponse(
        feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8"
    )


def ical_text(value: str) -> str:
    """A TEXT value with RFC 5545's escapes."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ical_fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1)."""
    encoded = line.encode()
    parts = []
    while len(encoded) > 75:
        cut = 75 if not parts else 74
        while cut and (encoded[cut] & 0xC0) == 0x80:  # never split a UTF-8 sequence
            cut -= 1
        parts.append(encoded[:cut].decode())
        encoded = encoded[cut:]
    parts.append(encoded.decode())
    return "\r\n ".join(parts)


def utc_stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event_ical(request: HttpRequest, event) -> HttpResponse:
    """One event as a calendar file to add to one's agenda."""
    end = event.end or event.start + timedelta(hours=2)
    location = ", ".join(part for part in (event.place, event.address) if part)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Dichtbij//Bijeenkomsten//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@dichtbij",
        f"DTSTAMP:{utc_stamp(event.last_published_at or timezone.now())}",
        f"DTSTART:{utc_stamp(event.start)}",
        f"DTEND:{utc_stamp(end)}",
        f"SUMMARY:{ical_text(event.title)}",
        f"DESCRIPTION:{ical_text(event.summary)}",
        f"LOCATION:{ical_text(location)}",
        f"URL:{event.full_url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    body = "\r\n".join(ical_fold(line) for line in lines) + "\r\n"
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bijeenkomst-{event.slug}.ics"'
    return response
