"""Helpers for the vault's tests: PDFs with a marker in clear text, quotes sent the real way
(through ``tenders.services.quotes``), and moving the clock past a tender's deadline."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from tenders.models import Procedure, Quote, Tender
from tenders.services.quotes import quote_submit
from tests.tenders.factories import TenderFactory

# Distinctive values that must never appear in clear text before the opening.
SECRET_PRICE = Decimal("48213.77")
SECRET_PRICE_TEXTS = ("48213.77", "48.213,77", "48213,77")
SECRET_NOTE = "Kluisnotitie-Zeldzaam-9931: wij geven tien procent korting."
PDF_MARKER = "KLUISMARKER-PDF-7731"
SECRET_FILE_NAME = "offerte-KLUISNAAM-5521.pdf"


def marked_pdf(marker: str = PDF_MARKER) -> bytes:
    """A small valid PDF whose page text (uncompressed) and a comment hold ``marker``."""
    stream = f"BT /F1 12 Tf 72 720 Td ({marker}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%" + marker.encode() + b"\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_upload(name: str = SECRET_FILE_NAME, data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data or marked_pdf(), content_type="application/pdf")


def open_tender(buyer_org, **overrides) -> Tender:
    """A published national (open) tender of ``buyer_org``, taking quotes for two weeks."""
    return TenderFactory(
        buyer=buyer_org, published=True, **{"procedure": Procedure.NATIONAL, **overrides}
    )


def send_quote(
    tender: Tender,
    firm,
    user,
    *,
    total: Decimal | None = SECRET_PRICE,
    lots: dict | None = None,
    note: str = SECRET_NOTE,
    files: list | None = None,
) -> Quote:
    """A quote sent through the service, with the secret price, note and marked PDF."""
    return quote_submit(
        tender=tender,
        firm=firm,
        by=user,
        total=total,
        lots=lots,
        note=note,
        files=files if files is not None else [pdf_upload()],
    )


def after_deadline(tender: Tender, seconds: int = 1):
    """The clock ``seconds`` after the tender's quote deadline (not ticking)."""
    return time_machine.travel(tender.quote_deadline + timedelta(seconds=seconds), tick=False)
