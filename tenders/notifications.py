"""Telling firms what changed on a tender: the outbox of DESIGN §4.3 and §4.8.

``change_record`` writes the public change and one ``Notification`` per person in the same
transaction as the change; after commit the ``send_notifications`` task sends them. A failed e-mail
is retried with backoff by the next task run or by ``advance_tenders`` (the periodic command), so a
change is never lost and, thanks to the unique key, never sent twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from marketplace.models import User
from tenders.models import Notification, Tender, TenderChange
from tenders.selectors.memberships import tender_audience


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
) -> list[Notification]:
    """One outbox row per person, keyed ``<key>:user:<id>``: the key keeps a row from being
    written (and sent) twice."""
    return [
        Notification(
            key=f"{key}:user:{user.pk}",
            recipient=user,
            tender=tender,
            change=change,
            subject=str(subject)[:200],
            body=body,
        )
        for user in users
    ]


def notifications_queue(*, rows: list[Notification]) -> int:
    """Write outbox rows (a key already written is skipped) and send them after commit."""
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        transaction.on_commit(_enqueue_sending)
    return len(rows)


def _enqueue_sending() -> None:
    """Start the task that sends what the outbox holds."""
    from tenders.tasks import send_notifications

    send_notifications.enqueue()


def notifications_send(*, now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Send what is due. Safe to run concurrently: each row is first claimed by a conditional
    UPDATE that only one worker wins (on every engine); only the winner sends it. A worker that
    crashes after claiming leaves a claim that expires after ``Notification.CLAIM_TIMEOUT``."""
    now = now or timezone.now()
    sent = failed = 0
    due = Notification.objects.pending().filter(next_attempt_at__lte=now).order_by("pk")
    for pk in list(due.values_list("pk", flat=True)[:limit]):
        token = _claim(pk=pk, now=now)
        if token is None:
            continue  # another worker has it, or it was sent meanwhile
        row = Notification.objects.select_related("recipient").filter(pk=pk).first()
        if row is None:
            continue  # deleted with its tender meanwhile
        try:
            notification_message(notification=row).send()
        except Exception as error:  # noqa: BLE001 - any delivery failure is retried later
            attempts = row.attempts + 1
            Notification.objects.filter(pk=pk, claim=token).update(
                attempts=attempts,
                last_error=f"{type(error).__name__}: {error}"[:2000],
                next_attempt_at=now + timedelta(minutes=2**attempts),
                failed_at=now if attempts >= Notification.MAX_ATTEMPTS else None,
                claim="",
                claimed_at=None,
            )
            failed += 1
        else:
            Notification.objects.filter(pk=pk, claim=token).update(
                attempts=F("attempts") + 1, sent_at=timezone.now(), claim="", claimed_at=None
            )
            sent += 1
    return {"sent": sent, "failed": failed}


def _claim(*, pk: int, now: datetime) -> str | None:
    """Claim one due row for this worker; the token when this worker won, else None."""
    token = uuid.uuid4().hex
    won = (
        Notification.objects.pending()
        .filter(pk=pk, next_attempt_at__lte=now)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - Notification.CLAIM_TIMEOUT))
        .update(claim=token, claimed_at=now)
    )
    return token if won == 1 else None


def notification_message(*, notification: Notification) -> EmailMultiAlternatives:
    """The e-mail for one outbox row: the site's own name as sender, a Message-ID on the site's
    domain, a Date, and the text with an HTML alternative."""
    site_name = settings.SITE_NAME
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    sender = formataddr((site_name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))
    message = EmailMultiAlternatives(
        notification.subject,
        notification.body,
        from_email=sender,
        to=[notification.recipient.email],
        headers={
            "Message-ID": make_msgid(idstring=f"notification.{notification.pk}", domain=domain),
            "Date": formatdate(localtime=True),
        },
    )
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "tenders/email/notification.html",
            {
                "subject": notification.subject,
                "body": notification.body,
                "site_name": site_name,
                "site_url": settings.SITE_URL,
            },
        )
    message.attach_alternative(html, "text/html")
    return message
