"""A tender's PDFs: the notice and the nota van inlichtingen, for whoever may see the tender."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header

from tenders import pdf
from tenders.models import Tender
from tenders.selectors.visibility import get_tender_for_viewer


def tender_notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The tender notice (aankondiging); 404 wherever the tender page would be 404."""
    tender = get_tender_for_viewer(request.user, pk)
    return pdf_response(pdf.render_notice_pdf(tender), tender, "aankondiging")


def clarification_notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The nota van inlichtingen; 404 until at least one answer is published."""
    tender = get_tender_for_viewer(request.user, pk)
    if not tender.questions.published().exists():
        raise Http404
    return pdf_response(pdf.render_clarification_pdf(tender), tender, "nota-van-inlichtingen")


def pdf_response(content: bytes, tender: Tender, name: str) -> HttpResponse:
    """Shown in the browser, saved as e.g. ``DORD-2026-0042-aankondiging.pdf``."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=f"{tender.reference}-{name}.pdf"
    )
    # Invite-only and draft tenders are not for shared caches; nothing here is.
    patch_cache_control(response, private=True, no_cache=True)
    return response
