"""What happened to a published tender, and the notifications it owes (DESIGN §4.3, §4.8 outbox).

Services write a ``TenderChange`` and its ``Notification`` rows in the same transaction as the
change itself; a task sends them after commit, and the periodic command retries what is still
unsent. The unique ``key`` makes writing the same notification twice impossible.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenders.models.tender import Tender


class TenderChange(models.Model):
    """A change to a published tender that firms must hear about; public on the tender's page."""

    class Kind(models.TextChoices):
        PUBLISHED = "published", _("Published")
        EXTENDED = "extended", _("Deadline extended")
        RECTIFIED = "rectified", _("Rectified")
        DOCUMENT = "document", _("Document added")
        ANSWERS = "answers", _("Answers published")
        CANCELLED = "cancelled", _("Cancelled")
        CLOSED = "closed", _("Closed")
        OPENED = "opened", _("Quotes opened")
        AWARDED = "awarded", _("Award decision")
        COMPLETED = "completed", _("Contract signed")
        UNSUCCESSFUL = "unsuccessful", _("No award")

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    summary = models.TextField(_("what changed"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["tender", "created_at", "pk"]
        verbose_name = _("tender change")
        verbose_name_plural = _("tender changes")

    def __str__(self) -> str:
        return f"{self.tender.reference}: {self.get_kind_display()}"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def pending(self) -> NotificationQuerySet:
        return self.filter(
            sent_at__isnull=True, failed_at__isnull=True, attempts__lt=Notification.MAX_ATTEMPTS
        )


class Notification(models.Model):
    """One e-mail owed to one person about one change (the outbox)."""

    MAX_ATTEMPTS = 5
    CLAIM_TIMEOUT = timedelta(minutes=10)

    key = models.CharField(_("key"), max_length=120, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tender_notifications"
    )
    tender = models.ForeignKey(
        Tender, on_delete=models.CASCADE, related_name="notifications", null=True, blank=True
    )
    change = models.ForeignKey(
        TenderChange,
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    # A sender claims a row (a conditional UPDATE only one worker wins) before it sends; a claim
    # older than CLAIM_TIMEOUT belonged to a worker that crashed and may be taken over.
    claim = models.CharField(_("claimed by"), max_length=32, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    failed_at = models.DateTimeField(_("given up"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.recipient} · {self.subject}"
