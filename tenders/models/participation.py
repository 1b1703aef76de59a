"""How firms take part in a tender before quoting: invitations, following, questions (§4.4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suppliers.models import Firm
from tenders.models.tender import Tender

QUESTION_MAX_LENGTH = 5000
ANSWER_MAX_LENGTH = 20000


class Invitation(models.Model):
    """A firm invited to an invite-only tender; it may then see the tender and quote.

    While the tender is a draft this is the shortlist; publishing sends the invitations
    (``sent_at``). How the list came about is in ``InvitationChange``."""

    class Kind(models.TextChoices):
        LOCAL = "local", _("Local")
        REGIONAL = "regional", _("Regional")
        NEARBY = "nearby", _("Nearby")
        ELSEWHERE = "elsewhere", _("Elsewhere")
        NEWCOMER = "newcomer", _("Newcomer")
        CHOSEN = "chosen", _("Chosen by the buyer")

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="invitations")
    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="tender_invitations")
    kind = models.CharField(_("why"), max_length=10, choices=Kind.choices, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    reason = models.TextField(_("reason"), blank=True)
    sent_at = models.DateTimeField(_("invitation sent"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)

    class Meta:
        ordering = ["tender", "position", "invited_at", "pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["tender", "firm"], name="invitation_once_per_firm")
        ]

    def __str__(self) -> str:
        return f"{self.tender.reference} → {self.firm}"


class Follow(models.Model):
    """A firm following a tender: it hears of every change and every published answer."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="follows")
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="followed_tenders")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("followed by"),
    )
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("followed tender")
        verbose_name_plural = _("followed tenders")
        constraints = [
            models.UniqueConstraint(fields=["tender", "firm"], name="follow_once_per_firm")
        ]

    def __str__(self) -> str:
        return f"{self.firm} volgt {self.tender.reference}"


class QuestionQuerySet(models.QuerySet["Question"]):
    def published(self) -> QuestionQuerySet:
        """Answered and published to every firm: what the nota van inlichtingen lists."""
        return self.filter(published_at__isnull=False)

    def unanswered(self) -> QuestionQuerySet:
        return self.filter(answered_at__isnull=True)


class Question(models.Model):
    """A firm's question about a tender. Other firms never learn who asked (DESIGN §4.4)."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveIntegerField(_("number"), editable=False)
    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    text = models.TextField(_("question"))
    asked_at = models.DateTimeField(_("asked"), default=timezone.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    published_at = models.DateTimeField(_("answer published"), null=True, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["tender", "number"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["tender", "number"], name="question_number_per_tender")
        ]

    def __str__(self) -> str:
        return f"{self.tender.reference} vraag {self.number}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
