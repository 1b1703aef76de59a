"""Sealed quotes and the opening of the vault (DESIGN §4.5).

What a firm submits — its prices, its note, its files and their names — is stored sealed
(``tenders.vault``); only ``tenders.selectors.vault`` unseals it, and only once the vault of the
tender is opened. What stays readable is what the receipt needs: who, when, the SHA-256 and the
size of each file. Nothing here is registered in any admin.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suppliers.models import Firm
from tenders.models.documents import private_storage
from tenders.models.tender import Tender

# What one quote may hold: a note of this many characters and this many PDF files.
QUOTE_NOTE_MAX_LENGTH = 5000
QUOTE_MAX_FILES = 10


class Quote(models.Model):
    """One submission of a firm for a tender. Replacing writes a new one; the old one keeps its
    receipt but loses its sealed contents."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        REPLACED = "replaced", _("Replaced")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    tender = models.ForeignKey(Tender, on_delete=models.PROTECT, related_name="quotes")
    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="tender_quotes")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    receipt_code = models.CharField(_("receipt number"), max_length=32, unique=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    # A Fernet token of {"tender", "firm", "total", "lots": {number: amount}, "note"}.
    sealed = models.BinaryField(_("sealed contents"), blank=True, default=b"")
    replaced_by = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    # Set during evaluation, after opening.
    excluded_reason = models.TextField(_("reason for excluding"), blank=True)

    class Meta:
        ordering = ["tender", "received_at", "pk"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "firm"],
                condition=Q(status="submitted"),
                name="quote_one_current_per_firm",
            )
        ]

    def __str__(self) -> str:
        return f"{self.tender.reference} · {self.receipt_code}"

    @property
    def is_current(self) -> bool:
        return self.status == self.Status.SUBMITTED


def quote_file_path(quote_file: QuoteFile, filename: str) -> str:
    """A random name; the content is sealed, the original name too (``sealed_name``)."""
    return str(PurePosixPath("quotes", str(quote_file.quote.tender_id), f"{uuid4().hex}.sealed"))


class QuoteFile(models.Model):
    """A PDF of a quote, stored sealed outside the web root."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    file = models.FileField(_("sealed file"), storage=private_storage, upload_to=quote_file_path)
    sealed_name = models.BinaryField(_("sealed file name"))
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        ordering = ["quote", "position", "pk"]
        verbose_name = _("quote file")
        verbose_name_plural = _("quote files")

    def __str__(self) -> str:
        return f"{self.quote.receipt_code} #{self.position}"


class VaultOpening(models.Model):
    """The opening of a tender's quotes: requested by one buyer, confirmed by another (four
    eyes) — or by the same step when the organisation chose single opening."""

    tender = models.OneToOneField(Tender, on_delete=models.PROTECT, related_name="vault_opening")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    four_eyes = models.BooleanField(_("four-eyes opening"), default=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)

    class Meta:
        verbose_name = _("vault opening")
        verbose_name_plural = _("vault openings")
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True)
                | Q(four_eyes=False)
                | ~Q(confirmed_by=models.F("requested_by")),
                name="vault_opening_four_eyes",
            )
        ]

    def __str__(self) -> str:
        return f"{self.tender.reference}: {self.opened_at or self.requested_at}"

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None
