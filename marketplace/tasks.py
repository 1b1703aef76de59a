"""Background work of the marketplace (django-tasks: immediate in development, database in CI)."""

from __future__ import annotations

from django_tasks import task

from marketplace.outbox.services import messages_send


@task()
def send_messages() -> dict[str, int]:
    """Send the outbox's messages that are due (see marketplace.outbox)."""
    return messages_send()
