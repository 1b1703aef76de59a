"""Spend imported from a municipality's finance export (``import_spend``), one row per line."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.models import Municipality
from suppliers.models import Firm

AMOUNT_MAX_DIGITS = 14
DESCRIPTION_MAX_LENGTH = 300
INVOICE_MAX_LENGTH = 60
SUPPLIER_NAME_MAX_LENGTH = 200


class SpendLine(models.Model):
    """One booked payment (or credit note, negative) of a municipality to a supplier.

    Where the supplier is established is decided at import: by its KvK number when the firm is
    known here, else by its postcode; neither gives an unplaced line (tier "Onbekend")."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    # "inv:<invoice>" when the line has an invoice number, else a digest of its contents and its
    # occurrence in the file: the same file imported twice finds every line again.
    line_key = models.CharField(_("line key"), max_length=80)
    booked_on = models.DateField(_("date"))
    # The year of ``booked_on``, kept apart so that the figures group and filter by year with an
    # index and without a date function per row (SQLite's is a Python function).
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("amount (excl. VAT)"), max_digits=AMOUNT_MAX_DIGITS, decimal_places=2
    )
    description = models.CharField(_("description"), max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    invoice = models.CharField(_("invoice number"), max_length=INVOICE_MAX_LENGTH, blank=True)
    supplier_kvk = models.CharField(_("supplier's KvK number"), max_length=8, blank=True)
    supplier_name = models.CharField(_("supplier"), max_length=SUPPLIER_NAME_MAX_LENGTH, blank=True)
    supplier_postcode = models.CharField(_("supplier's postcode"), max_length=7, blank=True)
    # Who the supplier is for the figures: "kvk:<number>" (the same key a contract's firm has),
    # else "name:<folded name>" or "postcode:<pc4>".
    supplier_key = models.CharField(_("supplier key"), max_length=220)
    firm = models.ForeignKey(
        Firm, on_delete=models.SET_NULL, null=True, blank=True, related_name="spend_lines"
    )
    supplier_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supplier's municipality"),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    source_name = models.CharField(_("file"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["municipality", "booked_on", "pk"]
        verbose_name = _("spend line")
        verbose_name_plural = _("spend lines")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "line_key"], name="spend_line_once_per_municipality"
            )
        ]
        indexes = [
            models.Index(fields=["municipality", "year"], name="spend_line_municipality_year")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.booked_on} {self.supplier_name} {self.amount}"

    @property
    def is_placed(self) -> bool:
        return self.supplier_municipality_id is not None
