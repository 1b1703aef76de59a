"""Tender documents: PDFs stored outside the web root, served only by permission-checked views,
and the rule an uploaded PDF must meet (its content, never its name)."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import PurePosixPath
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenders.models.tender import Tender

NOT_A_PDF = _("This is not a PDF. Save the document as PDF and try again.")
PDF_WITH_SCRIPT = _(
    "This PDF contains a script or an automatic action, which we do not accept for safety. "
    "Print it to a new PDF (“Print”, then “Save as PDF”) and upload that one."
)
PDF_WITH_HTML = _(
    "This file is a PDF and a web page at once, which we do not accept for safety. Save the "
    "document as a PDF again and upload that one."
)
FILE_TOO_LARGE = _("The file is larger than %(megabytes)s MB.")


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


# A PDF starts with its header and ends with "startxref", an offset and "%%EOF"; writers may add
# a little trailing whitespace or garbage, which readers (and pypdf) tolerate within 1 KiB.
PDF_HEADER = b"%PDF-"
PDF_TAIL_WINDOW = 1024
# Active content (issue 17.8): JavaScript, actions run on opening or on events, launching programs.
# PDF names may hide letters as #xx, so names are decoded before they are compared.
PDF_NAME = re.compile(rb"/[A-Za-z0-9#]+")
ACTIVE_NAMES = {b"/JS", b"/JavaScript", b"/AA", b"/Launch", b"/OpenAction"}
# An HTML/PDF polyglot: markup a browser would run when the file is served as a web page.
HTML_MARKERS = re.compile(
    rb"<\s*(script|html|body|iframe|svg|object|embed|meta)[\s>/]|<!doctype", re.I
)
SCAN_OVERLAP = 32


def _pdf_name(raw: bytes) -> bytes:
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)


def _active_content(data: bytes) -> str:
    """ "script" or "html" when the bytes hold either, else ""."""
    for match in PDF_NAME.finditer(data):
        name = _pdf_name(match.group())
        if name in ACTIVE_NAMES and not (name == b"/OpenAction" and _plain_open(data, match)):
            return "script"
    return "html" if HTML_MARKERS.search(data) else ""


def _plain_open(data: bytes, match: re.Match) -> bool:
    """An /OpenAction that only shows a page (``[3 0 R /Fit]``) is harmless."""
    return data[match.end() : match.end() + 64].lstrip().startswith(b"[")


def _size_limit_error() -> ValidationError:
    megabytes = settings.UPLOAD_MAX_BYTES // (1024 * 1024) or 1
    return ValidationError(FILE_TOO_LARGE, code="too_large", params={"megabytes": megabytes})


def pdf_validate(file: File) -> str:
    """Check an uploaded file is a PDF within the size limit; return its SHA-256 (hex).

    The check reads the content, never the name: a Word file renamed ``.pdf`` is refused.
    """
    size = file.size
    if size is not None and size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError({"file": _size_limit_error()})
    digest, read, head, tail, found = hashlib.sha256(), 0, b"", b"", ""
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
        found = found or _active_content(tail[-SCAN_OVERLAP:] + chunk)
        read += len(chunk)
        if read > settings.UPLOAD_MAX_BYTES:
            raise ValidationError({"file": _size_limit_error()})
        if len(head) < len(PDF_HEADER):
            head += chunk[: len(PDF_HEADER) - len(head)]
        tail = (tail + chunk)[-PDF_TAIL_WINDOW:]
    file.seek(0)
    if head != PDF_HEADER or b"%%EOF" not in tail or b"startxref" not in tail:
        raise ValidationError({"file": ValidationError(NOT_A_PDF, code="not_pdf")})
    if found == "script":
        raise ValidationError({"file": ValidationError(PDF_WITH_SCRIPT, code="pdf_script")})
    if found == "html":
        raise ValidationError({"file": ValidationError(PDF_WITH_HTML, code="pdf_html")})
    return digest.hexdigest()
