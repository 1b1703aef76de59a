"""Writing to the outbox and sending what it holds (see ``marketplace.outbox``).

``message_write`` is the one way product code sends e-mail: in the caller's transaction, sent
after commit. ``messages_send`` is what the task and the periodic commands run.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from contextlib import suppress
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from marketplace.models import User
from marketplace.outbox.models import Message
from marketplace.outbox.sending import email_message

KEY_BATCH = 500


def message_build(
    *,
    key: str,
    subject: str,
    body: str,
    to_user: User | None = None,
    to_address: str = "",
    html: str = "",
    headers: dict[str, str] | None = None,
    topic: str = "",
    language: str = "",
) -> Message:
    """An unsaved outbox row for ``messages_write``: to a user or to a plain address, never both."""
    if (to_user is None) == (not to_address):
        raise ValueError("A message goes to a user or to an address: exactly one of them.")
    return Message(
        key=key,
        recipient=to_user,
        to_address=to_address if to_user is None else "",
        subject=str(subject)[:200],
        body=body,
        html=html,
        headers=dict(headers or {}),
        topic=topic,
        language=language or settings.LANGUAGE_CODE,
    )


def message_write(
    *,
    key: str,
    subject: str,
    body: str,
    to_user: User | None = None,
    to_address: str = "",
    html: str = "",
    headers: dict[str, str] | None = None,
    topic: str = "",
    language: str = "",
) -> bool:
    """Write one message in the caller's transaction, sent after commit; False when ``key`` was
    written before (then nothing changes)."""
    message = message_build(
        key=key,
        subject=subject,
        body=body,
        to_user=to_user,
        to_address=to_address,
        html=html,
        headers=headers,
        topic=topic,
        language=language,
    )
    return messages_write(messages=[message]) == 1


def messages_write(*, messages: Iterable[Message]) -> int:
    """Write many messages (built by ``message_build``) at once; a key already written is
    skipped. Returns how many were new; they are sent after commit."""
    unique: dict[str, Message] = {}
    for message in messages:
        unique.setdefault(message.key, message)
    keys = list(unique)
    existing: set[str] = set()
    for start in range(0, len(keys), KEY_BATCH):
        batch = keys[start : start + KEY_BATCH]
        existing.update(Message.objects.filter(key__in=batch).values_list("key", flat=True))
    new = [message for key, message in unique.items() if key not in existing]
    Message.objects.bulk_create(new, ignore_conflicts=True, batch_size=KEY_BATCH)
    if new:
        transaction.on_commit(_enqueue_sending)
    return len(new)


def _enqueue_sending() -> None:
    """Start the task that sends what the outbox holds."""
    from marketplace.tasks import send_messages

    send_messages.enqueue()


def messages_send(*, now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Send what is due, over one connection. Safe to run concurrently: each row is first claimed
    by a conditional UPDATE that only one worker wins (on every engine); only the winner sends
    it. A worker that crashes after claiming leaves a claim that expires after
    ``Message.CLAIM_TIMEOUT``. A failure is retried after 2, 4, 8 … minutes, and the row is given
    up (``failed_at``) after ``Message.MAX_ATTEMPTS``."""
    now = now or timezone.now()
    sent = failed = 0
    due = Message.objects.pending().filter(next_attempt_at__lte=now).order_by("pk")
    connection = None
    try:
        for pk in list(due.values_list("pk", flat=True)[:limit]):
            token = _claim(pk=pk, now=now)
            if token is None:
                continue  # another worker has it, or it was sent meanwhile
            row = Message.objects.select_related("recipient").filter(pk=pk).first()
            if row is None:
                continue  # deleted with its recipient meanwhile
            try:
                if connection is None:
                    connection = get_connection(fail_silently=False)
                    connection.open()
                email_message(message=row, connection=connection).send()
            except Exception as error:  # noqa: BLE001 - any delivery failure is retried later
                connection = _close(connection)
                _failed(row=row, token=token, now=now, error=error)
                failed += 1
            else:
                Message.objects.filter(pk=pk, claim=token).update(
                    attempts=F("attempts") + 1, sent_at=timezone.now(), claim="", claimed_at=None
                )
                sent += 1
    finally:
        _close(connection)
    return {"sent": sent, "failed": failed}


def _close(connection) -> None:
    """Close a connection that may be broken already; a fresh one is opened for the next row."""
    if connection is not None:
        with suppress(Exception):
            connection.close()


def _failed(*, row: Message, token: str, now: datetime, error: Exception) -> None:
    attempts = row.attempts + 1
    Message.objects.filter(pk=row.pk, claim=token).update(
        attempts=attempts,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        next_attempt_at=now + timedelta(minutes=2**attempts),
        failed_at=now if attempts >= Message.MAX_ATTEMPTS else None,
        claim="",
        claimed_at=None,
    )


def _claim(*, pk: int, now: datetime) -> str | None:
    """Claim one due row for this worker; the token when this worker won, else None."""
    token = uuid.uuid4().hex
    won = (
        Message.objects.pending()
        .filter(pk=pk, next_attempt_at__lte=now)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - Message.CLAIM_TIMEOUT))
        .update(claim=token, claimed_at=now)
    )
    return token if won == 1 else None


def messages_state(*, messages: Sequence[Message]) -> str:
    """One word for a group of messages (one invitation's e-mails to a firm's members):
    ``sent`` when one arrived, ``failed`` when all were given up, else ``pending``; ``none``
    when there are none."""
    if not messages:
        return "none"
    if any(message.sent_at for message in messages):
        return "sent"
    if all(message.failed_at for message in messages):
        return "failed"
    return "pending"
