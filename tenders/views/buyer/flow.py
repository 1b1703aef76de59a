"""The buyer's step-by-step tender flow (DESIGN §2 J1, §4.2): what, where and value, procedure,
dates and award, documents, invitations, review and publish. Every step of a draft saves through
the tender services; a published tender changes through ``tenders.views.buyer.changes``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tenders.forms.flow import (
    CriterionFormSet,
    LotFormSet,
    TenderDatesForm,
    TenderProcedureForm,
    TenderWhatForm,
    TenderWhereForm,
)
from tenders.models import AwardCriteriaType, Procedure, Tender
from tenders.policy import (
    Proposal,
    procedure_check,
    procedure_proposal,
    tender_publication_check,
)
from tenders.selectors.memberships import buyer_organisations
from tenders.selectors.visibility import get_tender_for_buyer
from tenders.services.tenders import award_criteria_set, lots_set, tender_update
from tenders.services.tenders import tender_create as create_service
from tenders.services.tenders import tender_publish as publish_service
from tenders.views.form_errors import add_service_errors, error_summary


@dataclass(frozen=True)
class Step:
    slug: str
    label: str


STEPS = [
    Step("what", gettext_lazy("What")),
    Step("where", gettext_lazy("Where and value")),
    Step("procedure", gettext_lazy("Procedure")),
    Step("dates", gettext_lazy("Dates and award")),
    Step("documents", gettext_lazy("Documents")),
    Step("invitations", gettext_lazy("Invitations")),
    Step("review", gettext_lazy("Review and publish")),
]
STEP_SLUGS = [step.slug for step in STEPS]
INVITE_ONLY_STEPS = {"invitations"}

# Where the buyer fixes what tender_publication_check reports.
FIELD_STEPS = {
    "title": "what",
    "contract_type": "what",
    "main_cpv": "what",
    "place_of_performance": "where",
    "estimated_value_min": "where",
    "estimated_value_max": "where",
    "procedure": "procedure",
    "procedure_justification": "procedure",
    "tenderned_reference": "procedure",
    "question_deadline": "dates",
    "quote_deadline": "dates",
    "award_criteria_type": "dates",
    "contact_name": "dates",
    "contact_email": "dates",
    "invitations": "invitations",
}


def _step_url(tender: Tender, slug: str) -> str:
    return reverse("tenders:edit", args=[tender.pk, slug])


def _next_step(slug: str) -> str:
    return STEP_SLUGS[min(STEP_SLUGS.index(slug) + 1, len(STEP_SLUGS) - 1)]


def _proposal_for(tender: Tender) -> tuple[Proposal | None, str]:
    """Dichtbij's proposal for the tender's type and value, or why there is none."""
    if not tender.contract_type or tender.estimated_value is None:
        return None, _("Enter the kind of assignment and its value first.")
    try:
        proposal = procedure_proposal(
            municipality=tender.buyer.municipality,
            contract_type=tender.contract_type,
            value=tender.estimated_value,
            on=timezone.localdate(),
        )
    except ValidationError as error:
        return None, " ".join(error.messages)
    return proposal, ""


def steps_for(tender: Tender | None) -> list[Step]:
    """The flow's steps for this tender: invitations only for invite-only procedures."""
    if tender is not None and tender.is_invite_only:
        return STEPS
    return [step for step in STEPS if step.slug not in INVITE_ONLY_STEPS]


def step_context(tender: Tender | None, slug: str) -> dict[str, Any]:
    """What the step navigation needs (also used by the invitations page)."""
    steps = steps_for(tender)
    slugs = [step.slug for step in steps]
    return {
        "tender": tender,
        "steps": steps,
        "step": slug,
        "step_number": slugs.index(slug) + 1 if slug in slugs else None,
        "step_count": len(steps),
        "next_step": slugs[min(slugs.index(slug) + 1, len(slugs) - 1)] if slug in slugs else None,
    }


def _render_step(request: HttpRequest, tender: Tender | None, slug: str, **context: Any):
    context = {**step_context(tender, slug), **context}
    return render(request, f"tenders/buyer/step_{slug}.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def tender_create(request: HttpRequest) -> HttpResponse:
    """Step 1 for a new tender: saving it creates the draft."""
    organisations = buyer_organisations(request.user)
    data = request.POST if request.method == "POST" else None
    form = TenderWhatForm(data, organisations=organisations)
    lots = LotFormSet(data, prefix="lots")
    if data is not None and form.is_valid() and lots.is_valid():
        buyer = form.cleaned_data.get("buyer", organisations[0])
        try:
            with transaction.atomic():
                tender = create_service(buyer=buyer, by=request.user, **form.fields_for_service())
                if lots.lots():
                    lots_set(tender=tender, lots=lots.lots(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Draft %(reference)s saved. Only your organisation sees it.")
                % {"reference": tender.reference},
            )
            return redirect(_step_url(tender, "where"))
    return _what_page(request, None, form, lots)


@login_required
@require_http_methods(["GET", "POST"])
def tender_edit(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One step of the flow for a draft; a published tender changes by extend/rectify/cancel."""
    tender = get_tender_for_buyer(request, pk)
    handler = STEP_HANDLERS.get(step)
    if handler is None:
        raise Http404
    if not tender.is_draft:
        messages.info(
            request,
            _(
                "This tender is no longer a draft. Extend the deadline, rectify or cancel it "
                "instead."
            ),
        )
        return redirect("tenders:detail", pk=tender.pk)
    return handler(request, tender)


def _what_page(request, tender, form, lots) -> HttpResponse:
    return _render_step(
        request,
        tender,
        "what",
        form=form,
        lots=lots,
        errors=error_summary(form, lots, row_labels={"lots": _("Lot %(number)s")}),
    )


def _step_what(request: HttpRequest, tender: Tender) -> HttpResponse:
    if request.method == "POST":
        form = TenderWhatForm(request.POST)
        lots = LotFormSet(request.POST, prefix="lots")
    else:
        form = TenderWhatForm(initial=TenderWhatForm.initial_for(tender))
        lots = LotFormSet(initial=LotFormSet.initial_for(tender), prefix="lots")
    if request.method == "POST" and form.is_valid() and lots.is_valid():
        try:
            with transaction.atomic():
                tender_update(tender=tender, by=request.user, **form.fields_for_service())
                lots_set(tender=tender, lots=lots.lots(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(_step_url(tender, _next_step("what")))
    return _what_page(request, tender, form, lots)


def _form_step(
    request: HttpRequest, tender: Tender, slug: str, form: Any, **context: Any
) -> HttpResponse:
    """A step whose one form maps straight onto tender_update."""
    if request.method == "POST" and form.is_valid():
        try:
            tender_update(tender=tender, by=request.user, **form.fields_for_service())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(_step_url(tender, _next_step(slug)))
    return _render_step(request, tender, slug, form=form, errors=error_summary(form), **context)


def _step_where(request: HttpRequest, tender: Tender) -> HttpResponse:
    if request.method == "POST":
        form = TenderWhereForm(request.POST)
    else:
        form = TenderWhereForm(initial=TenderWhereForm.initial_for(tender))
    return _form_step(request, tender, "where", form)


def _step_procedure(request: HttpRequest, tender: Tender) -> HttpResponse:
    proposal, no_proposal = _proposal_for(tender)
    chosen = request.POST.get("procedure") or tender.procedure
    check = None
    if proposal is not None and chosen in Procedure.values:
        check = procedure_check(chosen=chosen, proposal=proposal)
    if request.method == "POST":
        form = TenderProcedureForm(request.POST, proposal=proposal)
    else:
        initial = TenderProcedureForm.initial_for(tender, proposal)
        form = TenderProcedureForm(initial=initial, proposal=proposal)
    return _form_step(
        request, tender, "procedure", form, proposal=proposal, no_proposal=no_proposal, check=check
    )


def _step_dates(request: HttpRequest, tender: Tender) -> HttpResponse:
    if request.method == "POST":
        form = TenderDatesForm(request.POST)
        criteria = CriterionFormSet(
            request.POST,
            prefix="criteria",
            criteria_type=request.POST.get("award_criteria_type"),
        )
    else:
        form = TenderDatesForm(initial=TenderDatesForm.initial_for(tender))
        criteria = CriterionFormSet(initial=CriterionFormSet.initial_for(tender), prefix="criteria")
    if request.method == "POST" and form.is_valid() and criteria.is_valid():
        price_quality = form.cleaned_data["award_criteria_type"] == AwardCriteriaType.PRICE_QUALITY
        try:
            with transaction.atomic():
                tender_update(tender=tender, by=request.user, **form.fields_for_service())
                award_criteria_set(
                    tender=tender,
                    criteria=criteria.criteria() if price_quality else [],
                    by=request.user,
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(_step_url(tender, _next_step("dates")))
    errors = error_summary(form, criteria, row_labels={"criteria": _("Criterion %(number)s")})
    return _render_step(request, tender, "dates", form=form, criteria=criteria, errors=errors)


def _step_documents(request: HttpRequest, tender: Tender) -> HttpResponse:
    if request.method == "POST":
        return redirect(_step_url(tender, step_context(tender, "documents")["next_step"]))
    return _render_step(request, tender, "documents", documents=tender.documents.all())


def _step_invitations(request: HttpRequest, tender: Tender) -> HttpResponse:
    """The shortlist lives on the invitations page; open procedures skip this step."""
    if not tender.is_invite_only:
        return redirect(_step_url(tender, "review"))
    return redirect("tenders:invitations", pk=tender.pk)


def publication_problems(tender: Tender) -> list[dict[str, Any]]:
    """What stops the draft from being published, each with a link to the step to fix it."""
    problems = []
    for field, messages_ in tender_publication_check(tender=tender).items():
        step = FIELD_STEPS.get(field, "review")
        if field == "invitations":
            label = _("Invitations")
        else:
            label = Tender._meta.get_field(field).verbose_name if field in FIELD_STEPS else ""
        problems.append(
            {
                "label": label,
                "messages": [str(m) for m in messages_],
                "url": f"{_step_url(tender, step)}#id_{field}",
                "step": next(s.label for s in STEPS if s.slug == step),
            }
        )
    return problems


def _step_review(request: HttpRequest, tender: Tender) -> HttpResponse:
    if request.method == "POST":
        return redirect(_step_url(tender, "review"))
    proposal, _no_proposal = _proposal_for(tender)
    check = None
    if proposal is not None and tender.procedure:
        check = procedure_check(chosen=tender.procedure, proposal=proposal)
    return _render_step(
        request,
        tender,
        "review",
        problems=publication_problems(tender),
        proposal=proposal,
        check=check,
        lots=tender.lots.all(),
        criteria=tender.award_criteria.all(),
        additional_cpv=tender.additional_cpv.order_by("code"),
        documents=tender.documents.all(),
        invitations=tender.invitations.select_related("firm__organisation"),
    )


STEP_HANDLERS: dict[str, Callable[[HttpRequest, Tender], HttpResponse]] = {
    "what": _step_what,
    "where": _step_where,
    "procedure": _step_procedure,
    "dates": _step_dates,
    "documents": _step_documents,
    "invitations": _step_invitations,
    "review": _step_review,
}


@login_required
@require_POST
def tender_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a draft; what stops it is listed on the review step."""
    tender = get_tender_for_buyer(request, pk)
    if not tender.is_draft:
        messages.error(request, _("This tender is already published."))
        return redirect("tenders:detail", pk=tender.pk)
    try:
        publish_service(tender=tender, by=request.user)
    except ValidationError:
        messages.error(request, _("Not published yet: fix the points below first."))
        return redirect(_step_url(tender, "review"))
    if tender.is_invite_only:
        text = _("Published. Only the firms you invite can see it and quote.")
    else:
        text = _("Published. Firms can find it on Dichtbij now.")
    messages.success(request, text)
    return redirect("tenders:detail", pk=tender.pk)
