"""Tender documents: PDFs checked by their content, stored outside the web root (DESIGN §4.5)."""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from marketplace.models import User
from marketplace.services import audit_record
from tenders.models import Status, Tender, TenderChange, TenderDocument
from tenders.notifications import change_record
from tenders.services.guards import lock, require_buyer

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
FILE_REQUIRED = _("Choose a PDF file.")
DOCUMENTS_CLOSED = _("Documents can only be added while the tender is a draft or still open.")
NEW_DOCUMENT_SUMMARY = _("New document: %(title)s (%(filename)s).")
ONLY_DRAFT_DOCUMENTS_CAN_BE_DELETED = _(
    "A document of a published tender stays: firms may already rely on it. Add a new document "
    "that replaces it instead."
)

TITLE_MAX_LENGTH = TenderDocument._meta.get_field("title").max_length
FILENAME_MAX_LENGTH = TenderDocument._meta.get_field("filename").max_length
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


def pdf_check(file: File) -> str:
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


def _original_name(file: File) -> str:
    name = PurePath(str(file.name or "")).name.strip() or "document.pdf"
    if len(name) > FILENAME_MAX_LENGTH:
        stem, suffix = PurePath(name).stem, PurePath(name).suffix[:10]
        name = stem[: FILENAME_MAX_LENGTH - len(suffix)] + suffix
    return name


@transaction.atomic
def document_add(*, tender: Tender, by: User, title: str, file: File | None) -> TenderDocument:
    """Attach a PDF to a draft or open tender; on a published tender every firm is told."""
    require_buyer(by, tender)
    lock(tender)
    if not (tender.status == Status.DRAFT or tender.is_open):
        raise ValidationError(DOCUMENTS_CLOSED)
    if file is None:
        raise ValidationError({"file": ValidationError(FILE_REQUIRED, code="required")})
    sha256 = pdf_check(file)
    filename = _original_name(file)
    title = " ".join(title.split())[:TITLE_MAX_LENGTH] or PurePath(filename).stem
    document = TenderDocument(
        tender=tender,
        title=title,
        filename=filename,
        size=file.size,
        sha256=sha256,
        uploaded_by=by,
    )
    # The storage picks a random name under PRIVATE_STORAGE_ROOT (tender_document_path).
    document.file.save(filename, file, save=False)
    try:
        document.save()
        audit_record(
            action="tender.document_added",
            actor=by,
            organisation=tender.buyer,
            obj=tender,
            details={"document": document.pk, "filename": filename, "sha256": sha256},
        )
        if tender.status == Status.PUBLISHED:
            with translation.override(settings.LANGUAGE_CODE):
                summary = str(NEW_DOCUMENT_SUMMARY) % {"title": title, "filename": filename}
            change_record(tender=tender, kind=TenderChange.Kind.DOCUMENT, summary=summary, by=by)
    except BaseException:
        document.file.storage.delete(document.file.name)
        raise
    return document


@transaction.atomic
def document_delete(*, document: TenderDocument, by: User) -> None:
    """Remove a document from a draft; the file goes once the deletion is committed."""
    tender = document.tender
    require_buyer(by, tender)
    lock(tender)
    if tender.status != Status.DRAFT:
        raise ValidationError(ONLY_DRAFT_DOCUMENTS_CAN_BE_DELETED)
    storage, name = document.file.storage, document.file.name
    audit_record(
        action="tender.document_deleted",
        actor=by,
        organisation=tender.buyer,
        obj=tender,
        details={"document": document.pk, "filename": document.filename, "sha256": document.sha256},
    )
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))
