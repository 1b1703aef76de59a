"""The procurement policy data (DESIGN §4.2): a municipality's own policy bands and the EU
thresholds with their validity."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from marketplace.models import Municipality
from tenders.models.tender import ContractType, Procedure

POLICY_LIMIT_NOT_POSITIVE = _("An upper limit must be more than zero.")
THRESHOLD_PERIOD_REVERSED = _("A threshold cannot end before it starts.")


class PolicyBand(models.Model):
    """A municipality's own rule: below ``max_value`` (excl. VAT) this procedure will do.

    The band without a limit covers every higher value; the law still requires a European
    procedure at or above the EU threshold. Changed only through ``policy_band_set``.
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="policy_bands"
    )
    contract_type = models.CharField(
        _("contract type"), max_length=10, choices=ContractType.choices
    )
    procedure = models.CharField(_("procedure"), max_length=10, choices=Procedure.choices)
    max_value = models.DecimalField(
        _("up to (excl. VAT)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Values below this use this procedure; empty for the top band."),
    )

    class Meta:
        ordering = ["municipality", "contract_type", F("max_value").asc(nulls_last=True)]
        verbose_name = _("policy band")
        verbose_name_plural = _("policy bands")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "contract_type", "procedure"],
                name="policy_band_one_per_procedure",
            ),
            models.UniqueConstraint(
                fields=["municipality", "contract_type"],
                condition=Q(max_value__isnull=True),
                name="policy_band_one_open_top",
            ),
            models.CheckConstraint(
                condition=Q(max_value__isnull=True) | Q(max_value__gt=0),
                name="policy_band_limit_positive",
                violation_error_message=POLICY_LIMIT_NOT_POSITIVE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} · {self.get_contract_type_display()} · {self.procedure}"


class EuThreshold(models.Model):
    """An EU procurement threshold for sub-central authorities, excl. VAT, with its validity
    (the European Commission revises them every two years)."""

    contract_type = models.CharField(
        _("contract type"), max_length=10, choices=ContractType.choices
    )
    amount = models.DecimalField(_("amount (excl. VAT)"), max_digits=14, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))

    class Meta:
        ordering = ["-valid_from", "contract_type"]
        verbose_name = _("EU threshold")
        verbose_name_plural = _("EU thresholds")
        constraints = [
            models.UniqueConstraint(
                fields=["contract_type", "valid_from"], name="eu_threshold_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__lte=F("valid_to")),
                name="eu_threshold_period_valid",
                violation_error_message=THRESHOLD_PERIOD_REVERSED,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_contract_type_display()} {self.amount} ({self.period})"

    @property
    def period(self) -> str:
        """The validity as years, e.g. "2026–2027"."""
        if self.valid_from.year == self.valid_to.year:
            return str(self.valid_from.year)
        return f"{self.valid_from.year}–{self.valid_to.year}"
