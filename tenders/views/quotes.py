"""Sealed quotes: submit, replace, withdraw, receipt; the opening and the opened quotes
(DESIGN §4.5). Before the opening no page shows a price, a file or even how many quotes came in."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from marketplace.selectors import user_may_act_for
from marketplace.services import audit_record
from suppliers.models import Firm
from suppliers.selectors import firms_of
from tenders.forms.quotes import QuoteForm
from tenders.models import PUBLIC_STATUSES, Quote, QuoteFile, Status, Tender, VaultOpening
from tenders.selectors.memberships import is_tender_buyer, posted_firm
from tenders.selectors.quotes import accepts_quotes, current_quote, firm_may_quote
from tenders.selectors.vault import (
    VaultSealed,
    quote_contents,
    quote_file_content,
    quote_file_name,
    vault_is_open,
)
from tenders.selectors.visibility import get_tender_for_buyer, get_tender_for_viewer
from tenders.services import opening as opening_services
from tenders.services import quotes as services
from tenders.services.vault import vault_access_record, vault_refusal_record


def _quoting_firms(request: HttpRequest, tender: Tender) -> list[Firm]:
    """The user's firms that may quote on this tender; 403 when there are none."""
    firms = [f for f in firms_of(request.user) if firm_may_quote(tender, f)]
    if not firms:
        raise PermissionDenied
    return firms


@login_required
@require_http_methods(["GET", "POST"])
def quote_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The quote form; sending it seals the quote (replacing a current one), then the receipt."""
    tender = get_tender_for_viewer(request.user, pk)
    firms = _quoting_firms(request, tender)
    post = request.method == "POST"
    form = QuoteForm(
        request.POST if post else None, request.FILES if post else None, tender=tender, firms=firms
    )
    if form.is_valid():
        total, lots = form.prices()
        try:
            quote = services.quote_submit(
                tender=tender,
                firm=form.cleaned_data["firm"],
                by=request.user,
                total=total,
                lots=lots,
                note=form.cleaned_data["note"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your quote is received and sealed."))
            return redirect("tenders:quote_receipt", pk=tender.pk, code=quote.receipt_code)
    current = [(firm, current_quote(tender, firm)) for firm in firms]
    context = {
        "tender": tender,
        "form": form,
        "current": [(firm, quote) for firm, quote in current if quote is not None],
        "open": accepts_quotes(tender),
    }
    return render(request, "tenders/quotes/submit.html", context, status=200)


@login_required
@require_http_methods(["GET", "POST"])
def quote_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for confirmation (GET), then withdraw the firm's current quote (POST)."""
    tender = get_tender_for_viewer(request.user, pk)
    firms = _quoting_firms(request, tender)
    firm = posted_firm(firms, request.POST.get("firm") or request.GET.get("firm"))
    quote = current_quote(tender, firm)
    error_messages: list[str] = []
    if request.method == "POST":
        try:
            services.quote_withdraw(tender=tender, firm=firm, by=request.user)
        except ValidationError as error:
            error_messages = error.messages
        else:
            messages.success(request, _("Your quote is withdrawn. Its contents are removed."))
            return redirect(reverse("tenders:detail", args=[tender.pk]) + "#quote")
    context = {
        "tender": tender,
        "firm": firm,
        "several_firms": len(firms) > 1,
        "quote": quote,
        "open": accepts_quotes(tender),
        "errors": error_messages,
    }
    return render(request, "tenders/quotes/withdraw.html", context)


@login_required
@require_GET
def quote_receipt(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The receipt of a quote, for the members of the firm that sent it (others get a 404)."""
    quote = (
        Quote.objects.select_related("tender", "firm__organisation", "submitted_by", "replaced_by")
        .filter(tender_id=pk, receipt_code=code)
        .first()
    )
    if quote is None or not user_may_act_for(request.user, quote.firm.organisation):
        raise Http404
    context = {
        "tender": quote.tender,
        "quote": quote,
        "files": list(quote.files.all()),
    }
    return render(request, "tenders/quotes/receipt.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def vault_opening(request: HttpRequest, pk: int) -> HttpResponse:
    """The buyer's opening page: request the opening, or confirm a colleague's request."""
    tender = get_tender_for_buyer(request, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        service = {
            "request": opening_services.vault_open_request,
            "confirm": opening_services.vault_open_confirm,
        }.get(action)
        if service is None:
            raise Http404
        try:
            opening = service(tender=tender, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            if opening.is_open:
                messages.success(request, _("The quotes are opened."))
                return redirect("tenders:quotes", pk=tender.pk)
            messages.success(
                request,
                _("The opening is requested. A different buyer of your organisation confirms it."),
            )
        return redirect("tenders:opening", pk=tender.pk)
    opening = (
        VaultOpening.objects.select_related("requested_by", "confirmed_by")
        .filter(tender=tender)
        .first()
    )
    context = {
        "tender": tender,
        "opening": opening,
        "deadline_passed": tender.effective_status != Status.PUBLISHED,
        "may_request": opening is None and tender.effective_status == Status.CLOSED,
        "may_confirm": opening is not None
        and not opening.is_open
        and opening.requested_by_id != request.user.pk,
        "waiting_for_colleague": opening is not None
        and not opening.is_open
        and opening.requested_by_id == request.user.pk,
    }
    return render(request, "tenders/quotes/opening.html", context)


def _sealed_page(request: HttpRequest, tender: Tender, what: str) -> HttpResponse:
    vault_refusal_record(tender=tender, by=request.user, what=what)
    context = {"tender": tender}
    return render(request, "tenders/quotes/sealed.html", context, status=403)


@login_required
@require_GET
def quote_list_buyer(request: HttpRequest, pk: int) -> HttpResponse:
    """The opened quotes with their prices, notes and files; before the opening: nothing."""
    tender = get_tender_for_buyer(request, pk)
    if not vault_is_open(tender):
        return _sealed_page(request, tender, "quote_list")
    lots = {lot.number: lot for lot in tender.lots.all()}
    rows = []
    quotes = (
        tender.quotes.filter(status=Quote.Status.SUBMITTED)
        .select_related("firm__organisation", "submitted_by")
        .prefetch_related("files")
    )
    for quote in quotes:
        contents = quote_contents(quote)
        rows.append(
            {
                "quote": quote,
                "contents": contents,
                "lots": [(lots.get(n), n, amount) for n, amount in sorted(contents.lots.items())],
                "files": [(f, quote_file_name(f)) for f in quote.files.all()],
            }
        )
    rows.sort(key=lambda row: (row["contents"].total, row["quote"].received_at))
    vault_access_record(tender=tender, by=request.user, page="quotes")
    return render(request, "tenders/quotes/list_buyer.html", {"tender": tender, "rows": rows})


@login_required
@require_GET
def quote_file_download(request: HttpRequest, pk: int, quote_pk: int, file_pk: int) -> Any:
    """One PDF of an opened quote, decrypted, for the buyers of the tender (audited)."""
    tender = get_tender_for_buyer(request, pk)
    quote_file = get_object_or_404(
        QuoteFile.objects.select_related("quote"),
        pk=file_pk,
        quote_id=quote_pk,
        quote__tender=tender,
        quote__status=Quote.Status.SUBMITTED,
    )
    try:
        content, name = quote_file_content(quote_file), quote_file_name(quote_file)
    except VaultSealed:
        return _sealed_page(request, tender, "quote_file")
    except FileNotFoundError as error:
        raise Http404 from error
    audit_record(
        action="quote.file_downloaded",
        actor=request.user,
        organisation=tender.buyer,
        obj=tender,
        details={
            "firm": quote_file.quote.firm_id,
            "receipt": quote_file.quote.receipt_code,
            "file": quote_file.position,
        },
    )
    response = FileResponse(
        io.BytesIO(content), as_attachment=True, filename=name, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def quote_panel_context(request: HttpRequest, tender: Tender) -> dict:
    """What ``tenders/includes/quote_panel.html`` shows a firm on the tender page: its current
    quote's receipt and the buttons to send, replace or withdraw while the tender is open."""
    user = request.user
    if not user.is_authenticated or tender.status not in PUBLIC_STATUSES:
        return {}
    if is_tender_buyer(user, tender):
        return {}
    firms = [f for f in firms_of(user) if firm_may_quote(tender, f)]
    if not firms:
        return {}
    return {
        "quote_panel": {
            "tender": tender,
            "open": accepts_quotes(tender),
            "several_firms": len(firms) > 1,
            "firms": [{"firm": firm, "quote": current_quote(tender, firm)} for firm in firms],
        }
    }
