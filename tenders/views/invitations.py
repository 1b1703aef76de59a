"""The invitation assistant's pages (DESIGN §4.6), the municipality's invitation rules and the
firm's tender dashboard (issue 5 point 1)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.csv_export import csv_download
from suppliers.models import Firm
from tenders.assistant import context_municipality, policy_numbers
from tenders.forms.invitations import FirmChoiceForm, ProcurementPolicyForm, ReasonForm
from tenders.models import ProcurementPolicy, Tender
from tenders.selectors.invitations import firm_locality, next_candidates, shortlist_changes
from tenders.selectors.memberships import buyer_admin_membership, buyer_organisations
from tenders.selectors.visibility import get_tender_for_buyer
from tenders.services import invitations as service
from tenders.services import procurement
from tenders.views.buyer.flow import step_context
from tenders.views.form_errors import add_service_errors, error_summary

# The shortlist -----------------------------------------------------------------------------------


def _invite_only_tender(request: HttpRequest, pk: int) -> Tender:
    tender = get_tender_for_buyer(request, pk)
    if not tender.is_invite_only:
        raise PermissionDenied
    return tender


def _candidate_choices(tender: Tender) -> list[tuple[str, str]]:
    """The proposal's next candidates as choices of the firm form."""
    return [
        (c.hit.kvk_number, f"{c.hit.name} · {c.hit.municipality_name} · {c.hit.tier_label}")
        for c in next_candidates(tender)
    ]


def _page(request: HttpRequest, tender: Tender, template: str, **context: Any) -> HttpResponse:
    base = step_context(tender, "invitations") if tender.is_draft else {"tender": tender}
    return render(request, f"tenders/invitations/{template}", {**base, **context})


@login_required
def invitation_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The shortlist with each pick's reason, and the justification (every change)."""
    tender = _invite_only_tender(request, pk)
    near = context_municipality(tender)
    invitations = tender.invitations.select_related(
        "firm__organisation", "firm__municipality__region"
    )
    rows = [{"invitation": i, **firm_locality(i.firm, near)} for i in invitations]
    policy, size, min_local = policy_numbers(tender)
    return _page(
        request,
        tender,
        "list.html",
        rows=rows,
        changes=shortlist_changes(tender),
        policy=policy,
        size=size,
        min_local=min_local,
        near=near,
        may_add=tender.is_draft or tender.is_open,
    )


@login_required
@require_POST
def invitations_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """Let the assistant (re)make the shortlist."""
    tender = _invite_only_tender(request, pk)
    try:
        proposal = service.invitations_propose(tender=tender, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if proposal.picks:
            count = len(proposal.picks)
            text = ngettext(
                "The assistant proposed %(count)s firm.",
                "The assistant proposed %(count)s firms.",
                count,
            )
            messages.success(request, text % {"count": count})
        else:
            messages.warning(request, _("The assistant found no firms for this CPV code."))
    return redirect("tenders:invitations", pk=tender.pk)


def _firm_form_view(
    request: HttpRequest, tender: Tender, template: str, act, **context: Any
) -> HttpResponse:
    """GET: the form; POST: call ``act(firm, reason)`` and go back to the list."""
    candidates = _candidate_choices(tender)
    form = FirmChoiceForm(request.POST if request.method == "POST" else None, candidates=candidates)
    if form.is_valid():
        try:
            act(form.cleaned_data["firm"], form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("tenders:invitations", pk=tender.pk)
    return _page(request, tender, template, form=form, **context)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_replace(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    """Put another firm in a pick's place, with a reason."""
    tender = _invite_only_tender(request, pk)
    invitation = get_object_or_404(
        tender.invitations.select_related("firm__organisation"), pk=invitation_pk
    )

    def act(firm: Firm, reason: str) -> None:
        service.invitation_replace(invitation=invitation, firm=firm, reason=reason, by=request.user)
        messages.success(request, _("%(firm)s is on the list now.") % {"firm": firm.name})

    return _firm_form_view(request, tender, "replace.html", act, invitation=invitation)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a firm of the buyer's choice; on an open tender it is invited at once."""
    tender = _invite_only_tender(request, pk)

    def act(firm: Firm, reason: str) -> None:
        invitation = service.invitation_add(
            tender=tender, firm=firm, reason=reason, by=request.user
        )
        if invitation.sent_at:
            text = _("%(firm)s is invited and gets an e-mail.")
        else:
            text = _("%(firm)s is on the list now.")
        messages.success(request, text % {"firm": firm.name})

    return _firm_form_view(request, tender, "add.html", act)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_remove(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    """Take a firm off the list before the invitations are sent, with a reason."""
    tender = _invite_only_tender(request, pk)
    invitation = get_object_or_404(
        tender.invitations.select_related("firm__organisation"), pk=invitation_pk
    )
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            service.invitation_remove(
                invitation=invitation, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(firm)s is off the list.") % {"firm": invitation.firm})
            return redirect("tenders:invitations", pk=tender.pk)
    return _page(request, tender, "remove.html", form=form, invitation=invitation)


@login_required
def justification_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The justification as CSV (UTF-8 with BOM, for Excel): every change, then the final list."""
    tender = _invite_only_tender(request, pk)
    header = [
        _("Section"),
        _("When"),
        _("What"),
        _("KvK number"),
        _("Firm"),
        _("Instead of"),
        _("Reason"),
        _("Seed"),
        _("By"),
    ]

    def rows() -> Iterator[list[object]]:
        for change in shortlist_changes(tender):
            yield [
                _("Change"),
                timezone.localtime(change.at).strftime("%Y-%m-%d %H:%M:%S"),
                change.get_action_display(),
                change.firm.kvk_number,
                change.firm.name,
                change.replaced_firm.name if change.replaced_firm else "",
                change.reason,
                change.seed,
                change.by.email if change.by else "",
            ]
        for invitation in tender.invitations.select_related("firm__organisation"):
            yield [
                _("Final list"),
                timezone.localtime(invitation.sent_at).strftime("%Y-%m-%d %H:%M:%S")
                if invitation.sent_at
                else "",
                invitation.get_kind_display(),
                invitation.firm.kvk_number,
                invitation.firm.name,
                "",
                invitation.reason,
                "",
                invitation.invited_by.email if invitation.invited_by else "",
            ]

    filename = f"{tender.reference}-verantwoording.csv"
    return csv_download(header, rows(), filename=filename, delimiter=";", bom=True)


# The municipality's rules ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def procurement_policy(request: HttpRequest) -> HttpResponse:
    """How many firms to invite, local first, newcomers, rotation; buyer-admins change it."""
    municipality = buyer_organisations(request.user)[0].municipality
    may_change = buyer_admin_membership(request.user, municipality) is not None
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    policy = ProcurementPolicy.for_municipality(municipality)
    form = ProcurementPolicyForm(
        request.POST if request.method == "POST" else None, instance=policy
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in procurement.POLICY_FIELDS}
        try:
            procurement.procurement_policy_set(municipality=municipality, by=request.user, **values)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The rules are saved."))
            return redirect("tenders:procurement_policy")
    context = {
        "municipality": municipality,
        "policy": policy,
        "form": form,
        "may_change": may_change,
        "errors": error_summary(form),
    }
    return render(request, "tenders/invitations/policy.html", context)
