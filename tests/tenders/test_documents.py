"""Tender documents: PDFs checked by content, stored privately, served through a permission
check (DESIGN §4.5, issue 4 item 1)."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from weasyprint import HTML

from marketplace.models import AuditEvent
from marketplace.outbox.models import Message
from tenders.models import (
    FILE_TOO_LARGE,
    NOT_A_PDF,
    Follow,
    Procedure,
    Status,
    TenderChange,
    TenderDocument,
)
from tenders.services.documents import (
    ONLY_DRAFT_DOCUMENTS_CAN_BE_DELETED,
    document_add,
    document_delete,
)
from tests.tenders.factories import InvitationFactory, TenderFactory

pytestmark = pytest.mark.django_db


@functools.cache
def pdf_bytes() -> bytes:
    """A real PDF, made once."""
    return HTML(string="<h1>Bestek</h1><p>Schilderwerk stadhuis.</p>").write_pdf()


def pdf_upload(name: str = "Bestek schilderwerk.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


@pytest.fixture
def draft(buyer_org):
    return TenderFactory(buyer=buyer_org, title="Schilderwerk stadhuis")


@pytest.fixture
def published(buyer_org):
    return TenderFactory(buyer=buyer_org, published=True, procedure=Procedure.NATIONAL)


@pytest.fixture
def invite_only(buyer_org):
    return TenderFactory(buyer=buyer_org, published=True, procedure=Procedure.MULTIPLE)


def test_a_pdf_is_kept_with_its_name_and_hash_under_a_random_name(draft, buyer, private_root):
    document = document_add(tender=draft, by=buyer, title="Bestek", file=pdf_upload())

    assert document.filename == "Bestek schilderwerk.pdf"
    assert document.sha256 == hashlib.sha256(pdf_bytes()).hexdigest()
    assert document.size == len(pdf_bytes())
    stored = Path(document.file.path)
    assert stored.read_bytes() == pdf_bytes()
    assert stored.is_relative_to(private_root)
    assert "Bestek" not in stored.name and stored.suffix == ".pdf"
    assert AuditEvent.objects.filter(action="tender.document_added", object_id=str(draft.pk))


def test_a_word_file_renamed_pdf_is_refused(draft, buyer, private_root):
    fake = SimpleUploadedFile("bestek.pdf", b"PK\x03\x04 word/document.xml" + b"x" * 500)

    with pytest.raises(ValidationError) as error:
        document_add(tender=draft, by=buyer, title="Bestek", file=fake)

    assert error.value.message_dict["file"] == [str(NOT_A_PDF)]
    assert not TenderDocument.objects.exists()
    assert not any(private_root.rglob("*.pdf"))


def test_a_truncated_pdf_is_refused(draft, buyer):
    broken = SimpleUploadedFile("bestek.pdf", pdf_bytes()[: len(pdf_bytes()) // 2])

    with pytest.raises(ValidationError):
        document_add(tender=draft, by=buyer, title="Bestek", file=broken)


def test_the_upload_page_says_what_is_wrong_and_keeps_the_title(client, draft, buyer):
    client.force_login(buyer)
    fake = SimpleUploadedFile("bestek.pdf", b"<html>not a pdf</html>")

    response = client.post(
        reverse("tenders:document_upload", args=[draft.pk]), {"title": "Bestek", "file": fake}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert str(NOT_A_PDF) in html  # "Dit is geen PDF. …" once the Dutch catalogue is merged
    assert 'value="Bestek"' in html
    assert 'aria-describedby="id_file_helptext id_file_error"' in html


def test_an_oversized_file_is_refused_with_the_limit(client, draft, buyer):
    client.force_login(buyer)
    too_big = b"%PDF-1.7\n" + b"0" * settings.UPLOAD_MAX_BYTES + b"\nstartxref\n0\n%%EOF\n"

    response = client.post(
        reverse("tenders:document_upload", args=[draft.pk]),
        {"title": "Tekening", "file": SimpleUploadedFile("tekening.pdf", too_big)},
    )

    # "Het bestand is groter dan 20 MB." in Dutch
    assert str(FILE_TOO_LARGE) % {"megabytes": 20} in response.content.decode()
    assert not TenderDocument.objects.exists()


def test_the_buyer_uploads_through_the_page(client, draft, buyer):
    client.force_login(buyer)

    response = client.post(
        reverse("tenders:document_upload", args=[draft.pk]),
        {"title": "Bestek", "file": pdf_upload()},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("tenders:document_upload", args=[draft.pk])
    assert "Bestek schilderwerk.pdf" in response.content.decode()
    assert draft.documents.get().title == "Bestek"


def test_the_stored_file_is_outside_the_web_root_and_has_no_url(client, draft, buyer):
    document = document_add(tender=draft, by=buyer, title="Bestek", file=pdf_upload())
    path = Path(document.file.path).resolve()

    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018 - private files have no URL at all
    for url in (
        settings.MEDIA_URL + document.file.name,
        settings.STATIC_URL + document.file.name,
        "/private/" + document.file.name,
    ):
        assert client.get(url).status_code == 404


def test_the_download_is_an_attachment_with_the_original_name(client, published, buyer):
    published.status = Status.DRAFT  # add it as a draft: no notifications needed here
    document = document_add(tender=published, by=buyer, title="Bestek", file=pdf_upload())
    published.status = Status.PUBLISHED
    published.save(update_fields=["status"])

    response = client.get(reverse("tenders:document", args=[published.pk, document.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "Bestek%20schilderwerk.pdf" in response["Content-Disposition"] or (
        'filename="Bestek schilderwerk.pdf"' in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_invite_only_documents_are_404_for_outsiders(
    client, invite_only, buyer, firm, firm_user, other_firm_user
):
    InvitationFactory(tender=invite_only, firm=firm)
    document = document_add(tender=invite_only, by=buyer, title="Bestek", file=pdf_upload())
    url = reverse("tenders:document", args=[invite_only.pk, document.pk])

    assert client.get(url).status_code == 404
    client.force_login(other_firm_user)
    assert client.get(url).status_code == 404
    client.force_login(firm_user)
    assert client.get(url).status_code == 200
    client.force_login(buyer)
    assert client.get(url).status_code == 200


def test_draft_documents_are_404_for_everyone_but_the_buyer(client, draft, buyer, other_buyer):
    document = document_add(tender=draft, by=buyer, title="Bestek", file=pdf_upload())
    url = reverse("tenders:document", args=[draft.pk, document.pk])

    assert client.get(url).status_code == 404
    client.force_login(other_buyer)
    assert client.get(url).status_code == 404


def test_a_document_of_another_tender_is_404(client, published, buyer, buyer_org):
    other = TenderFactory(buyer=buyer_org)
    document = document_add(tender=other, by=buyer, title="Bestek", file=pdf_upload())

    response = client.get(reverse("tenders:document", args=[published.pk, document.pk]))

    assert response.status_code == 404


def test_only_the_buyer_may_add_documents(client, draft, other_buyer, firm_user):
    with pytest.raises(PermissionDenied):
        document_add(tender=draft, by=firm_user, title="Bestek", file=pdf_upload())
    url = reverse("tenders:document_upload", args=[draft.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(other_buyer)
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "x", "file": pdf_upload()}).status_code == 404
    assert not TenderDocument.objects.exists()


def test_a_new_document_on_a_published_tender_tells_the_followers(
    published, buyer, firm, firm_user, django_capture_on_commit_callbacks, mailoutbox
):
    Follow.objects.create(tender=published, firm=firm)

    with django_capture_on_commit_callbacks(execute=True):
        document_add(tender=published, by=buyer, title="Nota", file=pdf_upload("nota.pdf"))

    change = TenderChange.objects.get(tender=published)
    assert change.kind == TenderChange.Kind.DOCUMENT
    assert "Nota" in change.summary
    assert Message.objects.get().recipient == firm_user
    assert [message.to for message in mailoutbox] == [[firm_user.email]]


def test_a_document_on_a_draft_tells_nobody(draft, buyer):
    document_add(tender=draft, by=buyer, title="Bestek", file=pdf_upload())

    assert not TenderChange.objects.exists()
    assert not Message.objects.exists()


def test_a_draft_document_can_be_removed_and_its_file_goes(
    client, draft, buyer, django_capture_on_commit_callbacks
):
    document = document_add(tender=draft, by=buyer, title="Bestek", file=pdf_upload())
    stored = Path(document.file.path)
    client.force_login(buyer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tenders:document_delete", args=[draft.pk, document.pk]))

    assert response.status_code == 302
    assert not TenderDocument.objects.exists()
    assert not stored.exists()
    assert AuditEvent.objects.filter(action="tender.document_deleted").exists()


def test_a_published_document_stays(client, published, buyer):
    document = document_add(tender=published, by=buyer, title="Bestek", file=pdf_upload())

    with pytest.raises(ValidationError) as error:
        document_delete(document=document, by=buyer)

    assert error.value.messages == [str(ONLY_DRAFT_DOCUMENTS_CAN_BE_DELETED)]
    client.force_login(buyer)
    url = reverse("tenders:document_delete", args=[published.pk, document.pk])
    assert client.get(url).status_code == 405
    client.post(url)
    assert TenderDocument.objects.filter(pk=document.pk).exists()


def test_no_documents_after_the_quote_deadline(buyer, buyer_org):
    from datetime import timedelta

    from django.utils import timezone

    closed = TenderFactory(
        buyer=buyer_org,
        published=True,
        question_deadline=timezone.now() - timedelta(days=2),
        quote_deadline=timezone.now() - timedelta(days=1),
    )

    with pytest.raises(ValidationError):
        document_add(tender=closed, by=buyer, title="Te laat", file=pdf_upload())
