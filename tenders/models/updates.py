"""What happened to a published tender (DESIGN §4.3).

Services write a ``TenderChange`` and its e-mails (``marketplace.outbox``, topic
``tender:<id>/change:<id>``) in the same transaction as the change itself.
"""

from __future__ import annotations

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
