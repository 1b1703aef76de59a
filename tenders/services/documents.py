"""Tender documents: PDFs checked by their content, stored outside the web root (DESIGN §4.5)."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from marketplace.models import User
from marketplace.services import audit_record
from tenders.models import Status, Tender, TenderChange, TenderDocument, pdf_validate
from tenders.notifications import change_record
from tenders.services.guards import lock, require_buyer

FILE_REQUIRED = _("Choose a PDF file.")
DOCUMENTS_CLOSED = _("Documents can only be added while the tender is a draft or still open.")
NEW_DOCUMENT_SUMMARY = _("New document: %(title)s (%(filename)s).")
ONLY_DRAFT_DOCUMENTS_CAN_BE_DELETED = _(
    "A document of a published tender stays: firms may already rely on it. Add a new document "
    "that replaces it instead."
)

TITLE_MAX_LENGTH = TenderDocument._meta.get_field("title").max_length
FILENAME_MAX_LENGTH = TenderDocument._meta.get_field("filename").max_length


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
    sha256 = pdf_validate(file)
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
