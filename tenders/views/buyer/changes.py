"""Changes to a published tender (DESIGN §4.3): extending its deadlines, rectifying it, and
cancelling it; firms that follow it or were invited hear of each."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tenders.forms.changes import TenderCancelForm, TenderExtendForm, TenderRectifyForm
from tenders.forms.flow import LotFormSet
from tenders.models import CANCELLABLE_STATUSES, Tender
from tenders.selectors.visibility import get_tender_for_buyer
from tenders.services.changes import tender_extend as extend_service
from tenders.services.changes import tender_rectify as rectify_service
from tenders.services.tenders import tender_cancel as cancel_service
from tenders.views.form_errors import add_service_errors, error_summary


def _refuse_unless_open(request: HttpRequest, tender: Tender) -> HttpResponse | None:
    if tender.is_open:
        return None
    messages.error(
        request, _("This can only be done while the tender is open, before the deadline.")
    )
    return redirect("tenders:detail", pk=tender.pk)


@login_required
@require_http_methods(["GET", "POST"])
def tender_extend(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the deadlines later, with a reason for the firms."""
    tender = get_tender_for_buyer(request, pk)
    if refusal := _refuse_unless_open(request, tender):
        return refusal
    if request.method == "POST":
        form = TenderExtendForm(request.POST, tender=tender)
    else:
        form = TenderExtendForm(initial=TenderExtendForm.initial_for(tender), tender=tender)
    if form.is_valid():
        try:
            extend_service(tender=tender, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The deadline is extended. Firms get an e-mail."))
            return redirect("tenders:detail", pk=tender.pk)
    context = {"tender": tender, "form": form, "errors": error_summary(form)}
    return render(request, "tenders/buyer/extend.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def tender_rectify(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a published tender and tell the firms what changed."""
    tender = get_tender_for_buyer(request, pk)
    if refusal := _refuse_unless_open(request, tender):
        return refusal
    if request.method == "POST":
        form = TenderRectifyForm(request.POST)
        lots = LotFormSet(request.POST, prefix="lots")
    else:
        form = TenderRectifyForm(initial=TenderRectifyForm.initial_for(tender))
        lots = LotFormSet(initial=LotFormSet.initial_for(tender), prefix="lots")
    if request.method == "POST" and form.is_valid() and lots.is_valid():
        try:
            rectify_service(
                tender=tender,
                by=request.user,
                summary=form.cleaned_data["summary"],
                lots=lots.lots(),
                **form.fields_for_service(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The rectification is published. Firms get an e-mail."))
            return redirect("tenders:detail", pk=tender.pk)
    errors = error_summary(form, lots, row_labels={"lots": _("Lot %(number)s")})
    context = {"tender": tender, "form": form, "lots": lots, "errors": errors}
    return render(request, "tenders/buyer/rectify.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def tender_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a tender with a reason; firms that follow it or were invited hear of it."""
    tender = get_tender_for_buyer(request, pk)
    if tender.status not in CANCELLABLE_STATUSES:
        messages.error(request, _("This tender can no longer be cancelled."))
        return redirect("tenders:detail", pk=tender.pk)
    form = TenderCancelForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            cancel_service(tender=tender, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The tender is cancelled."))
            if tender.published_at is None:
                return redirect("tenders:dashboard")
            return redirect("tenders:detail", pk=tender.pk)
    context = {"tender": tender, "form": form, "errors": error_summary(form)}
    return render(request, "tenders/buyer/cancel.html", context)
