"""Evaluation and award (DESIGN §4.7): the buyer's scores, the award decision with its computed
ranking, the standstill period and the contract."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suppliers.models import Firm
from tenders.models.quotes import Quote
from tenders.models.tender import AwardCriterion, Tender

SCORE_OUT_OF_RANGE = _("A score is a number from 0 to 10.")
CONTRACT_VALUE_NEGATIVE = _("The contract value cannot be negative.")
CONTRACT_END_BEFORE_START = _("The contract cannot end before it starts.")


class QuoteScore(models.Model):
    """The buyer's score (0–10) of one quote on one quality criterion. Price is never scored by
    hand: its points follow from the prices (``tenders.evaluation``)."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(AwardCriterion, on_delete=models.CASCADE, related_name="scores")
    score = models.DecimalField(
        _("score"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    scored_at = models.DateTimeField(_("scored"), default=timezone.now)

    class Meta:
        ordering = ["quote", "criterion"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["quote", "criterion"], name="score_once_per_criterion"),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=10),
                name="score_range",
                violation_error_message=SCORE_OUT_OF_RANGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quote} · {self.criterion.name}: {self.score}"


class Award(models.Model):
    """The award decision: the winning quote, the motivation and the ranking as computed then."""

    tender = models.OneToOneField(Tender, on_delete=models.PROTECT, related_name="award")
    quote = models.OneToOneField(Quote, on_delete=models.PROTECT, related_name="award")
    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="awards")
    value = models.DecimalField(_("awarded value (excl. VAT)"), max_digits=14, decimal_places=2)
    motivation = models.TextField(_("motivation"))
    # [{"quote": pk, "firm": pk, "firm_name", "rank", "price", "points", "parts": {...}}, ...]
    ranking = models.JSONField(_("ranking"), default=list)
    formula = models.TextField(_("formula"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)
    standstill_until = models.DateTimeField(_("standstill period ends"), null=True, blank=True)

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")

    def __str__(self) -> str:
        return f"{self.tender.reference} → {self.firm}"


class Contract(models.Model):
    """The contract signed after the award (and after the standstill period)."""

    tender = models.OneToOneField(Tender, on_delete=models.PROTECT, related_name="contract")
    award = models.OneToOneField(Award, on_delete=models.PROTECT, related_name="contract")
    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="contracts")
    value = models.DecimalField(_("contract value (excl. VAT)"), max_digits=14, decimal_places=2)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    signed_on = models.DateField(_("signed"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-signed_on"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="contract_value_not_negative",
                violation_error_message=CONTRACT_VALUE_NEGATIVE,
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="contract_end_after_start",
                violation_error_message=CONTRACT_END_BEFORE_START,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tender.reference}: {self.firm} {self.value}"
