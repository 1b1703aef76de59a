"""Background work of the tenders app (django-tasks: immediate in development, database in CI)."""

from __future__ import annotations

from django_tasks import task

from marketplace.outbox.services import messages_send


@task()
def send_notifications() -> dict[str, int]:
    """Send the outbox's messages that are due (the outbox's own task is
    ``marketplace.tasks.send_messages``; this name stays for callers of the tenders app)."""
    return messages_send()
