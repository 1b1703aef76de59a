"""Tender documents: PDFs stored outside the web root, served only by permission-checked views."""

from __future__ import annotations

import os
from pathlib import PurePosixPath
from uuid import uuid4

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenders.models.tender import Tender


class PrivateStorage(FileSystemStorage):
    """Files under ``PRIVATE_STORAGE_ROOT`` (never under MEDIA_ROOT), read on every use so that
    tests can point it elsewhere with ``override_settings``. They have no URL: only
    permission-checked views serve them."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_STORAGE_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL; serve them through a permission check.")


def private_storage() -> PrivateStorage:
    return PrivateStorage()


def tender_document_path(document: TenderDocument, filename: str) -> str:
    """A random name per upload; the original name is kept in ``filename`` for downloads."""
    return str(PurePosixPath("tenders", str(document.tender_id), f"{uuid4().hex}.pdf"))


class TenderDocument(models.Model):
    """A PDF that belongs to a tender (specifications, drawings, a model contract)."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), storage=private_storage, upload_to=tender_document_path)
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["tender", "uploaded_at", "pk"]
        verbose_name = _("tender document")
        verbose_name_plural = _("tender documents")

    def __str__(self) -> str:
        return self.title
