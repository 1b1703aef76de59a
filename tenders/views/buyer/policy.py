"""The municipality's policy bands (DESIGN §4.2): up to which value which procedure will do, per
kind of assignment; its buyer-admins change them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from marketplace import formats
from tenders.forms.policy import PolicyBandFormSet
from tenders.models import ContractType, Procedure
from tenders.policy import (
    Band,
    band_range_text,
    eu_threshold_in_force,
    own_policy_bands,
    policy_bands_for,
)
from tenders.selectors.memberships import buyer_admin_membership, buyer_organisations
from tenders.services.procurement import policy_band_set
from tenders.views.form_errors import error_summary


def _band_rows(bands: tuple[Band, ...]) -> list[dict[str, str]]:
    rows, low = [], None
    for band in bands:
        range_text = band_range_text(low, band.max_value) or _("Any value")
        rows.append({"range": range_text, "procedure": Procedure(band.procedure).label})
        low = band.max_value
    return rows


def _threshold_text(contract_type: str) -> str:
    try:
        threshold = eu_threshold_in_force(contract_type, timezone.localdate())
    except ValidationError as error:
        return " ".join(error.messages)
    return _("From %(amount)s (EU threshold %(period)s) the law requires a European procedure.") % {
        "amount": formats.euro(threshold.amount),
        "period": threshold.period,
    }


@login_required
@require_http_methods(["GET", "POST"])
def policy_bands(request: HttpRequest) -> HttpResponse:
    """The municipality's procedure limits per kind of assignment; its buyer-admins edit them."""
    organisation = buyer_organisations(request.user)[0]
    municipality = organisation.municipality
    is_admin = buyer_admin_membership(request.user, municipality) is not None
    editing = request.POST.get("contract_type") or request.GET.get("edit")
    if editing not in ContractType.values:
        editing = None
    if request.method == "POST" and (not is_admin or editing is None):
        raise PermissionDenied
    bands = policy_bands_for(municipality)
    formset, service_errors = None, []
    if editing and is_admin:
        data = request.POST if request.method == "POST" else None
        initial = PolicyBandFormSet.initial_for(bands[editing])
        formset = PolicyBandFormSet(data, initial=initial, prefix="bands")
        restore = data is not None and "restore" in data
        if restore or (data is not None and formset.is_valid()):
            try:
                policy_band_set(
                    municipality=municipality,
                    contract_type=editing,
                    bands=[] if restore else formset.bands(),
                    by=request.user,
                )
            except ValidationError as error:
                service_errors = error.messages
            else:
                messages.success(request, _("The limits are saved."))
                return redirect("tenders:policy")
    own = own_policy_bands(municipality)
    types = [
        {
            "value": value,
            "label": label,
            "rows": _band_rows(bands[value]),
            "is_default": value not in own,
            "threshold": _threshold_text(value),
        }
        for value, label in ContractType.choices
    ]
    context = {
        "municipality": municipality,
        "is_admin": is_admin,
        "types": types,
        "editing": editing,
        "editing_label": ContractType(editing).label if editing else "",
        "formset": formset,
        "service_errors": service_errors,
        "errors": error_summary(formset, row_labels={"bands": _("Band %(number)s")})
        if formset is not None
        else [],
    }
    return render(request, "tenders/buyer/policy.html", context)
