"""Telling firms and buyers what happened to a tender, through the outbox (DESIGN §4.3, §4.8).

``change_record`` writes the public change and one message per person in the same transaction as
the change; after commit the outbox's task sends them (``marketplace.outbox``). The functions here
build the tenders' messages: their keys (one per person and event) and their topics
(``tender:<id>``, ``tender:<id>/change:<id>``), which the tenders' pages query.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from marketplace.models import User
from marketplace.outbox.models import Message
from marketplace.outbox.sending import email_message
from marketplace.outbox.services import message_build, messages_send, messages_write
from tenders.models import Tender, TenderChange
from tenders.selectors.memberships import tender_audience


def tender_topic(tender: Tender | int, *parts: str) -> str:
    """The outbox topic of a tender, or of something of it: ``tender_topic(t, "change:4")`` is
    ``tender:12/change:4``."""
    pk = tender if isinstance(tender, int) else tender.pk
    return "/".join([f"tender:{pk}", *parts])


def change_topic(change: TenderChange) -> str:
    return tender_topic(change.tender_id, f"change:{change.pk}")


def change_record(
    *, tender: Tender, kind: str, summary: str, by: User | None = None
) -> TenderChange:
    """Record a change to a published tender and queue an e-mail to its whole audience."""
    change = TenderChange.objects.create(
        tender=tender,
        kind=kind,
        summary=summary,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    notifications_write(change=change)
    return change


def notifications_write(*, change: TenderChange, exclude: Iterable[int] = ()) -> int:
    """One notification per person in the audience (but the ``exclude``d user ids, who were told
    otherwise); idempotent. Returns how many were written."""
    tender = change.tender
    url = settings.SITE_URL.rstrip("/") + reverse("tenders:detail", args=[tender.pk])
    with translation.override(settings.LANGUAGE_CODE):
        subject = f"{tender.reference}: {change.get_kind_display()} — {tender.title}"[:200]
        body = render_to_string(
            "tenders/email/change.txt", {"tender": tender, "change": change, "url": url}
        )
    rows = notification_rows(
        key=f"change:{change.pk}",
        users=tender_audience(tender).exclude(pk__in=list(exclude)),
        tender=tender,
        subject=subject,
        body=body,
        change=change,
    )
    return notifications_queue(rows=rows)


def notification_rows(
    *,
    key: str,
    users: Iterable[User],
    tender: Tender,
    subject: str,
    body: str,
    change: TenderChange | None = None,
    topic: str = "",
) -> list[Message]:
    """One outbox row per person, keyed ``<key>:user:<id>`` (the key keeps a row from being
    written, and sent, twice), on the tender's topic, the change's, or ``topic``."""
    topic = topic or (change_topic(change) if change is not None else tender_topic(tender))
    return [
        message_build(
            key=f"{key}:user:{user.pk}", to_user=user, subject=subject, body=body, topic=topic
        )
        for user in users
    ]


def notifications_queue(*, rows: list[Message]) -> int:
    """Write outbox rows (a key already written is skipped) and send them after commit; returns
    how many were new."""
    return messages_write(messages=rows)


def notifications_send(*, now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Send what the outbox holds that is due (``marketplace.outbox.services.messages_send``)."""
    return messages_send(now=now, limit=limit)


def notification_message(*, notification: Message) -> EmailMultiAlternatives:
    """The e-mail for one outbox row (``marketplace.outbox.sending.email_message``)."""
    return email_message(message=notification)
