"""Sending, replacing and withdrawing sealed quotes until the deadline (DESIGN §4.5, issue 5
item 2): the receipt, the sealing, and the refusals at the deadline."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from marketplace import formats
from marketplace.models import AuditEvent
from marketplace.outbox.models import Message
from tenders import vault
from tenders.models import NOT_A_PDF, Procedure, Quote, QuoteFile
from tenders.notifications import tender_topic
from tenders.services.quotes import (
    DEADLINE_PASSED,
    FILES_REQUIRED,
    LOT_PRICE_REQUIRED,
    PRICE_NOT_POSITIVE,
    PRICE_TOO_PRECISE,
    quote_submit,
    quote_withdraw,
)
from tests.tenders.factories import InvitationFactory, LotFactory, TenderFactory
from tests.tenders.factories_vault import (
    PDF_MARKER,
    SECRET_FILE_NAME,
    SECRET_NOTE,
    SECRET_PRICE,
    SECRET_PRICE_TEXTS,
    after_deadline,
    marked_pdf,
    open_tender,
    pdf_upload,
    send_quote,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tender(buyer_org):
    return open_tender(buyer_org, title="Schilderwerk stadhuis")


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_a_quote_is_sealed_and_the_firm_gets_a_receipt(tender, firm, firm_user, private_root):
    quote = send_quote(tender, firm, firm_user)

    assert quote.status == Quote.Status.SUBMITTED
    assert len(quote.receipt_code) == 19 and quote.receipt_code.count("-") == 3
    assert quote.received_at.microsecond or quote.received_at <= timezone.now()
    (quote_file,) = quote.files.all()
    assert quote_file.sha256 == hashlib.sha256(marked_pdf()).hexdigest()
    assert quote_file.size == len(marked_pdf())
    # Nothing readable at rest: not the price, the note, the file or its name.
    for blob in (bytes(quote.sealed), bytes(quote_file.sealed_name)):
        assert not any(text.encode() in blob for text in SECRET_PRICE_TEXTS)
        assert SECRET_NOTE.encode() not in blob and b"KLUISNAAM" not in blob
    (path,) = stored_files(private_root)
    assert PDF_MARKER.encode() not in path.read_bytes()
    assert vault.unseal(path.read_bytes()) == marked_pdf()
    assert "KLUISNAAM" not in path.name
    event = AuditEvent.objects.get(action="quote.submitted", object_id=str(tender.pk))
    assert event.organisation == firm.organisation
    assert event.details["receipt"] == quote.receipt_code


def test_the_receipt_mail_has_time_code_and_fingerprints_but_no_contents(tender, firm, firm_user):
    quote = send_quote(tender, firm, firm_user)

    mail = Message.objects.about(tender_topic(tender)).get(recipient=firm_user)
    assert quote.receipt_code in mail.body
    assert quote.files.get().sha256 in mail.body
    assert str(len(marked_pdf())) in mail.body
    with translation.override("nl"):
        assert formats.moment(quote.received_at) in mail.body  # "3 januari 2027 om 14:30"
    for secret in (*SECRET_PRICE_TEXTS, SECRET_NOTE, SECRET_FILE_NAME, "KLUISNAAM"):
        assert secret not in mail.body and secret not in mail.subject


def test_prices_per_lot_add_up_to_the_total(tender, firm, firm_user):
    LotFactory(tender=tender, number=1, title="Binnen")
    LotFactory(tender=tender, number=2, title="Buiten")

    quote = send_quote(
        tender, firm, firm_user, total=None, lots={1: Decimal("1000.50"), 2: Decimal("234.06")}
    )

    data = vault.unseal_json(quote.sealed)
    assert data["total"] == "1234.56"
    assert data["lots"] == {"1": "1000.50", "2": "234.06"}


def test_a_tender_with_lots_needs_a_price_for_a_lot(tender, firm, firm_user):
    LotFactory(tender=tender, number=1)

    with pytest.raises(ValidationError) as error:
        send_quote(tender, firm, firm_user, total=Decimal("100"), lots={1: None})

    assert error.value.messages == [str(LOT_PRICE_REQUIRED)]
    assert not Quote.objects.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [(Decimal("0"), PRICE_NOT_POSITIVE), (Decimal("12.345"), PRICE_TOO_PRECISE)],
)
def test_a_price_must_be_positive_with_cents_at_most(tender, firm, firm_user, amount, message):
    with pytest.raises(ValidationError) as error:
        send_quote(tender, firm, firm_user, total=amount)

    assert error.value.message_dict["total"] == [str(message)]
    assert not Quote.objects.exists()


def test_a_quote_needs_a_pdf(tender, firm, firm_user):
    with pytest.raises(ValidationError) as error:
        send_quote(tender, firm, firm_user, files=[])

    assert error.value.message_dict["files"] == [str(FILES_REQUIRED)]


def test_a_word_file_renamed_pdf_is_refused_and_nothing_is_stored(
    tender, firm, firm_user, private_root
):
    fake = SimpleUploadedFile("offerte.pdf", b"PK\x03\x04 word/document.xml" + b"x" * 500)

    with pytest.raises(ValidationError) as error:
        send_quote(tender, firm, firm_user, files=[pdf_upload(), fake])

    (message,) = error.value.message_dict["files"]
    assert "offerte.pdf" in message and str(NOT_A_PDF) in message
    assert not Quote.objects.exists() and not QuoteFile.objects.exists()
    assert stored_files(private_root) == []
    assert not Message.objects.exists()


def test_a_quote_one_second_after_the_deadline_is_refused_and_the_attempt_recorded(
    tender, firm, firm_user, private_root
):
    with after_deadline(tender, seconds=1), pytest.raises(ValidationError) as error:
        send_quote(tender, firm, firm_user)

    assert error.value.code == "deadline_passed"
    deadline = formats.moment(tender.quote_deadline)  # "11 december 2026 om 06:24", server time
    with translation.override("en"):
        assert error.value.messages == [str(DEADLINE_PASSED) % {"deadline": deadline}]
    assert not Quote.objects.exists()
    assert stored_files(private_root) == []
    refused = AuditEvent.objects.get(action="quote.refused", object_id=str(tender.pk))
    assert refused.actor == firm_user and refused.details["what"] == "submit"


def test_a_quote_just_before_the_deadline_is_taken(tender, firm, firm_user):
    with time_machine.travel(tender.quote_deadline - timedelta(seconds=1), tick=False):
        quote = send_quote(tender, firm, firm_user)

    assert quote.received_at == tender.quote_deadline - timedelta(seconds=1)


def test_replacing_a_quote_removes_the_old_contents(
    tender, firm, firm_user, private_root, django_capture_on_commit_callbacks
):
    first = send_quote(tender, firm, firm_user)
    (old_path,) = stored_files(private_root)

    with django_capture_on_commit_callbacks(execute=True):
        second = send_quote(tender, firm, firm_user, total=Decimal("50000"))

    first.refresh_from_db()
    assert first.status == Quote.Status.REPLACED
    assert first.replaced_by == second
    assert bytes(first.sealed) == b""
    assert bytes(first.files.get().sealed_name) == b""
    assert not old_path.exists()
    assert len(stored_files(private_root)) == 1
    assert list(Quote.objects.filter(status=Quote.Status.SUBMITTED)) == [second]
    replaced = AuditEvent.objects.get(action="quote.replaced", object_id=str(tender.pk))
    assert replaced.details["replaces"] == first.receipt_code


def test_withdrawing_removes_the_quote(
    tender, firm, firm_user, private_root, django_capture_on_commit_callbacks
):
    quote = send_quote(tender, firm, firm_user)

    with django_capture_on_commit_callbacks(execute=True):
        quote_withdraw(tender=tender, firm=firm, by=firm_user)

    quote.refresh_from_db()
    assert quote.status == Quote.Status.WITHDRAWN
    assert quote.withdrawn_by == firm_user and quote.withdrawn_at is not None
    assert bytes(quote.sealed) == b""
    assert stored_files(private_root) == []
    assert AuditEvent.objects.filter(action="quote.withdrawn", object_id=str(tender.pk)).exists()


def test_withdrawing_one_second_after_the_deadline_is_refused_and_changes_nothing(
    tender, firm, firm_user, private_root
):
    quote = send_quote(tender, firm, firm_user)
    sealed = bytes(quote.sealed)

    with after_deadline(tender, seconds=1), pytest.raises(ValidationError) as error:
        quote_withdraw(tender=tender, firm=firm, by=firm_user)

    assert error.value.code == "deadline_passed"
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SUBMITTED and bytes(quote.sealed) == sealed
    assert len(stored_files(private_root)) == 1
    refused = AuditEvent.objects.get(action="quote.refused", object_id=str(tender.pk))
    assert refused.details["what"] == "withdraw"


def test_someone_outside_the_firm_cannot_quote_for_it(tender, firm, other_firm_user):
    with pytest.raises(PermissionDenied):
        send_quote(tender, firm, other_firm_user)


def test_an_invite_only_tender_takes_quotes_from_invited_firms_only(
    buyer_org, firm, firm_user, other_firm, other_firm_user
):
    tender = TenderFactory(buyer=buyer_org, published=True, procedure=Procedure.MULTIPLE)
    InvitationFactory(tender=tender, firm=firm, sent_at=timezone.now())
    InvitationFactory(tender=tender, firm=other_firm, sent_at=None)  # still a shortlist

    assert send_quote(tender, firm, firm_user).status == Quote.Status.SUBMITTED
    with pytest.raises(PermissionDenied):
        send_quote(tender, other_firm, other_firm_user)


def test_a_draft_takes_no_quotes(buyer_org, firm, firm_user):
    draft = TenderFactory(buyer=buyer_org, procedure=Procedure.NATIONAL)

    with pytest.raises(ValidationError) as error:
        quote_submit(
            tender=draft,
            firm=firm,
            by=firm_user,
            total=SECRET_PRICE,
            lots=None,
            note="",
            files=[pdf_upload()],
        )

    assert error.value.code == "not_open"
    assert not AuditEvent.objects.filter(action="quote.refused").exists()
