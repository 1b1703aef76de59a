"""Tender documents: the permission-checked download and the buyer's upload page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tenders.forms.documents import DocumentForm
from tenders.models import Status, TenderDocument
from tenders.selectors.visibility import get_tender_for_buyer, get_tender_for_viewer
from tenders.services import documents as services


@require_GET
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """Serve a document to whoever may see its tender, as an attachment with its own name."""
    tender = get_tender_for_viewer(request.user, pk)
    document = get_object_or_404(TenderDocument, pk=document_pk, tender=tender)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=document.filename, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Invite-only and draft documents must not land in shared caches.
    response["Cache-Control"] = "private, max-age=0"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """The buyer's document page: the tender's PDFs and a form to add one."""
    tender = get_tender_for_buyer(request, pk)
    form = DocumentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if form.is_valid():
        try:
            document = services.document_add(
                tender=tender,
                by=request.user,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if tender.status == Status.PUBLISHED:
                message = _("“%(title)s” is added. Firms that follow the tender are told.")
            else:
                message = _("“%(title)s” is added.")
            messages.success(request, message % {"title": document.title})
            return redirect("tenders:document_upload", pk=tender.pk)
    context = {
        "tender": tender,
        "form": form,
        "documents": list(tender.documents.all()),
        "may_add": tender.status == Status.DRAFT or tender.is_open,
        "may_delete": tender.status == Status.DRAFT,
    }
    return render(request, "tenders/documents/upload.html", context)


@login_required
@require_POST
def document_delete(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """Remove a document from a draft."""
    tender = get_tender_for_buyer(request, pk)
    document = get_object_or_404(TenderDocument, pk=document_pk, tender=tender)
    try:
        services.document_delete(document=document, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("“%(title)s” is removed.") % {"title": document.title})
    return redirect("tenders:document_upload", pk=tender.pk)
