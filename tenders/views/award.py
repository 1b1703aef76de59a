"""Evaluation, award, contract and the award notice PDF (DESIGN §4.7, issue 5 items 4 and 5).

The buyer's pages go through ``get_tender_for_buyer`` (404 for outsiders, 403 for members without
a buyer role); the PDF and the outcome on the tender's page follow the tender's visibility.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from suppliers.selectors import firms_of
from tenders import pdf
from tenders.evaluation import Ranking
from tenders.forms.award import AwardForm, ContractForm, ExcludeForm, ScoresForm, UnsuccessfulForm
from tenders.models import AwardCriteriaType, Quote, Status, Tender
from tenders.selectors import award as selectors
from tenders.selectors.quotes import current_quotes
from tenders.selectors.vault import quote_contents, vault_is_open
from tenders.selectors.visibility import get_tender_for_buyer, get_tender_for_viewer
from tenders.services import award as services
from tenders.services.vault import vault_access_record
from tenders.views.form_errors import add_service_errors, error_summary
from tenders.views.pdfs import pdf_response


def _refuse(request: HttpRequest, tender: Tender, message: str) -> HttpResponse:
    messages.error(request, message)
    return redirect("tenders:detail", pk=tender.pk)


# Evaluation --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    """The opened quotes, the buyer's scores, exclusions and the computed ranking."""
    tender = get_tender_for_buyer(request, pk)
    if not vault_is_open(tender):
        return _refuse(request, tender, _("The quotes are not opened yet."))
    if request.method == "GET":
        vault_access_record(tender=tender, by=request.user, page="evaluation")
    quotes = current_quotes(tender)
    criteria = [c for c in tender.award_criteria.order_by("position", "pk") if not c.is_price]
    if tender.award_criteria_type != AwardCriteriaType.PRICE_QUALITY:
        criteria = []
    editable = tender.status == Status.OPENED
    action = request.POST.get("action") if request.method == "POST" else None
    scores_form = ScoresForm(
        request.POST if action == "scores" else None, quotes=quotes, criteria=criteria
    )
    exclude_form = ExcludeForm(request.POST if action == "exclude" else None, quotes=quotes)
    if action and not editable:
        return _refuse(request, tender, _("The evaluation is closed: the award is decided."))
    if action == "scores" and scores_form.is_valid():
        try:
            services.quote_scores_set(tender=tender, by=request.user, scores=scores_form.scores())
        except ValidationError as error:
            add_service_errors(scores_form, error)
        else:
            messages.success(request, _("The scores are saved."))
            return redirect("tenders:evaluation", pk=tender.pk)
    if action == "exclude" and exclude_form.is_valid():
        quote = get_object_or_404(Quote, pk=exclude_form.cleaned_data["quote"], tender=tender)
        try:
            services.quote_exclude(
                quote=quote, by=request.user, reason=exclude_form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(exclude_form, error)
        else:
            messages.success(request, _("The quote is excluded from the ranking."))
            return redirect("tenders:evaluation", pk=tender.pk)
    ranking = selectors.tender_ranking(tender)
    context = {
        "tender": tender,
        "editable": editable,
        "quote_rows": _quote_rows(quotes, scores_form, criteria),
        "criteria": criteria,
        "scores_form": scores_form,
        "exclude_form": exclude_form,
        "ranking": ranking,
        "ranking_rows": _ranking_rows(ranking),
        "errors": error_summary(scores_form) + error_summary(exclude_form),
    }
    return render(request, "tenders/award/evaluation.html", context)


def _quote_rows(quotes: list[Quote], form: ScoresForm, criteria: list) -> list[dict[str, Any]]:
    rows = []
    for quote in quotes:
        contents = quote_contents(quote)
        rows.append(
            {
                "quote": quote,
                "price": contents.total,
                "lots": sorted(contents.lots.items()),
                "note": contents.note,
                "fields": [form[form.cells[(quote.pk, c.pk)]] for c in criteria],
            }
        )
    return rows


def _ranking_rows(ranking: Ranking) -> list[dict[str, Any]]:
    return [
        {
            "rank": row.rank,
            "firm_name": row.firm_name,
            "price": row.price,
            "parts": [(c.name, row.parts.get(c.id)) for c in ranking.criteria],
            "points": row.points,
        }
        for row in ranking.rows
    ]


# The award decision ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def award_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Award the tender to the quote ranked first, with a motivation every bidder reads."""
    tender = get_tender_for_buyer(request, pk)
    if tender.status != Status.OPENED or not vault_is_open(tender):
        return _refuse(request, tender, _("Only an opened tender can be awarded, once."))
    ranking = selectors.tender_ranking(tender)
    first = ranking.first
    form = AwardForm(request.POST or None, initial={"quote": first.bid.quote_id if first else None})
    if request.method == "POST" and form.is_valid():
        quote = get_object_or_404(Quote, pk=form.cleaned_data["quote"], tender=tender)
        try:
            services.tender_award(
                tender=tender,
                by=request.user,
                quote=quote,
                motivation=form.cleaned_data["motivation"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The award is decided. Every bidder gets an e-mail."))
            return redirect("tenders:detail", pk=tender.pk)
    context = {
        "tender": tender,
        "form": form,
        "ranking": ranking,
        "ranking_rows": _ranking_rows(ranking),
        "first": first,
        "standstill_until": selectors.standstill_end(tender, timezone.now()),
        "errors": error_summary(form),
    }
    return render(request, "tenders/award/decide.html", context)


# The contract, or no award -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def contract_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the signed contract once the standstill period is over."""
    tender = get_tender_for_buyer(request, pk)
    award = selectors.award_of(tender)
    if tender.status != Status.AWARDED or award is None:
        return _refuse(request, tender, _("A contract can only be recorded for an awarded tender."))
    waiting = award.standstill_until is not None and timezone.now() < award.standstill_until
    form = ContractForm(
        None if waiting else request.POST or None,
        initial={"value": award.value, "signed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_record(tender=tender, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contract is recorded. The tender is completed."))
            return redirect("tenders:detail", pk=tender.pk)
    context = {
        "tender": tender,
        "award": award,
        "waiting": waiting,
        "form": form,
        "errors": error_summary(form),
    }
    return render(request, "tenders/award/contract.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def tender_unsuccessful(request: HttpRequest, pk: int) -> HttpResponse:
    """End an opened tender without award, with a reason the firms read."""
    tender = get_tender_for_buyer(request, pk)
    if tender.status != Status.OPENED:
        return _refuse(request, tender, _("Only an opened tender can end without award."))
    form = UnsuccessfulForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.tender_end_without_award(
                tender=tender, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The tender ended without award. The firms are told."))
            return redirect("tenders:detail", pk=tender.pk)
    context = {"tender": tender, "form": form, "errors": error_summary(form)}
    return render(request, "tenders/award/unsuccessful.html", context)


# Public outputs ----------------------------------------------------------------------------------


def award_notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The award notice (gunning.pdf); 404 until the tender is awarded."""
    tender = get_tender_for_viewer(request.user, pk)
    if tender.status not in (Status.AWARDED, Status.COMPLETED) or not selectors.award_of(tender):
        raise Http404
    return pdf_response(pdf.render_award_pdf(tender), tender, "gunning")


def outcome_context(request: HttpRequest, tender: Tender) -> dict[str, Any]:
    """The outcome panel of the tender's page: the winner for everyone who sees the tender, and
    for a bidding firm's members their own rank and points."""
    if tender.status == Status.UNSUCCESSFUL:
        return {"outcome": {"unsuccessful": True, "reason": tender.unsuccessful_reason}}
    if tender.status not in (Status.AWARDED, Status.COMPLETED):
        return {}
    award = selectors.award_of(tender)
    if award is None:
        return {}
    own_firms = {firm.pk for firm in firms_of(request.user)}
    ranked = sum(1 for row in award.ranking if row["rank"] is not None)
    own = [
        {**row, "won": row["quote"] == award.quote_id, "ranked": ranked}
        for row in award.ranking
        if row["firm"] in own_firms
    ]
    winner = next((row for row in award.ranking if row["quote"] == award.quote_id), None)
    return {
        "outcome": {
            **selectors.award_summary(award),
            "winner_row": winner,
            "own": own,
            "pdf_url": reverse("tenders:award_pdf", args=[tender.pk]),
        }
    }
