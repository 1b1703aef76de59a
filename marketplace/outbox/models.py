"""The outbox's one table: a message owed to a person (a user account) or to a plain address."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOPIC_SEPARATOR = "/"


class MessageQuerySet(models.QuerySet["Message"]):
    def pending(self) -> MessageQuerySet:
        """Not sent, not given up, attempts left."""
        return self.filter(
            sent_at__isnull=True, failed_at__isnull=True, attempts__lt=Message.MAX_ATTEMPTS
        )

    def about(self, topic: str) -> MessageQuerySet:
        """The messages on ``topic`` and on the topics under it (``tender:12`` also finds
        ``tender:12/change:45``)."""
        return self.filter(Q(topic=topic) | Q(topic__startswith=topic + TOPIC_SEPARATOR))


class Message(models.Model):
    """One e-mail owed to one person or address.

    ``topic`` says what the message is about, as a path from the general to the particular
    (``tender:12``, ``tender:12/change:45``, ``tender:12/invitation:7``): the outbox is shared
    by every app and the marketplace may not import the apps (DESIGN §3), so it names its subject
    with a string an app builds and queries (``Message.objects.about("tender:12")``) rather than
    a foreign key into the app or a generic relation (which would need a join per app and says
    nothing when the object is gone). A message outlives the object it is about: the text it
    carries is complete.
    """

    MAX_ATTEMPTS = 5
    CLAIM_TIMEOUT = timedelta(minutes=10)

    key = models.CharField(_("key"), max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbox_messages",
        verbose_name=_("recipient"),
    )
    to_address = models.EmailField(_("to address"), blank=True)
    topic = models.CharField(_("topic"), max_length=120, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
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

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.CheckConstraint(
                condition=(Q(recipient__isnull=False) & Q(to_address=""))
                | (Q(recipient__isnull=True) & ~Q(to_address="")),
                name="message_to_user_or_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.address} · {self.subject}"

    @property
    def address(self) -> str:
        """Where it goes: the recipient's e-mail address, else the plain address."""
        return self.recipient.email if self.recipient_id else self.to_address

    @property
    def is_failed(self) -> bool:
        return self.failed_at is not None
