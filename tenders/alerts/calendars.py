"""A public tender's deadlines as an iCalendar file (RFC 5545), written here: two events and a
time zone need no extra runtime dependency. Times in Europe/Amsterdam, UIDs stable per tender."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tenders.models import Tender
from tenders.selectors.visibility import public_tenders

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Amsterdam",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a space (RFC 5545 §3.1)."""
    data = line.encode()
    parts = []
    while len(data) > 75:
        cut = 75 if not parts else 74
        while cut > 0 and (data[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        parts.append(data[:cut].decode())
        data = data[cut:]
    parts.append(data.decode())
    return "\r\n ".join(parts)


def _local(moment: datetime) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%Y%m%dT%H%M%S")


def tender_events(tender: Tender, url: str) -> list[list[str]]:
    stamp = timezone.now().astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")
    deadlines = [
        ("questions", tender.question_deadline, _("Questions deadline: %(title)s")),
        ("quotes", tender.quote_deadline, _("Quote deadline: %(title)s")),
    ]
    events = []
    for kind, moment, summary in deadlines:
        if moment is None:
            continue
        events.append(
            [
                "BEGIN:VEVENT",
                f"UID:tender-{tender.pk}-{kind}@dichtbij",
                f"DTSTAMP:{stamp}",
                f"DTSTART;TZID=Europe/Amsterdam:{_local(moment)}",
                f"DTEND;TZID=Europe/Amsterdam:{_local(moment + timedelta(minutes=30))}",
                "SUMMARY:" + escape(summary % {"title": tender.title}),
                "DESCRIPTION:" + escape(f"{tender.reference} · {tender.buyer.name}\n{url}"),
                f"URL:{url}",
                "END:VEVENT",
            ]
        )
    return events


def calendar(name: str, events: list[list[str]]) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Dichtbij//Tenders//NL",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:" + escape(name),
        "X-WR-TIMEZONE:Europe/Amsterdam",
        *VTIMEZONE,
        *(line for event in events for line in event),
        "END:VCALENDAR",
    ]
    return "\r\n".join(fold(line) for line in lines) + "\r\n"


def tender_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    """``/tenders/<id>/agenda.ics``: a public tender's question and quote deadlines."""
    tender = get_object_or_404(public_tenders().published().select_related("buyer"), pk=pk)
    url = settings.SITE_URL + reverse("tenders:detail", args=[tender.pk])
    body = calendar(f"{tender.reference} · {tender.title}", tender_events(tender, url))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{tender.reference}.ics"'
    return response
