"""Background work of the tenders app (django-tasks: immediate in development, database in CI)."""

from __future__ import annotations

from django_tasks import task

from tenders.notifications import notifications_send


@task()
def send_notifications() -> dict[str, int]:
    """Send the notifications that are due (see tenders.notifications)."""
    return notifications_send()
