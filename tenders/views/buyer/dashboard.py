"""The buyer's dashboard: what waits first (questions, openings, awards, drafts), then the
organisation's tenders by status."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenders.selectors.dashboards import buyer_overview
from tenders.selectors.memberships import buyer_organisations


@login_required
def buyer_dashboard(request: HttpRequest) -> HttpResponse:
    """The next things to do, then the organisation's tenders by status."""
    organisations = buyer_organisations(request.user)
    overview = buyer_overview(organisations)
    context = {
        "organisations": organisations,
        "overview": overview,
        "groups": overview.groups,
        "total": overview.total,
        "waiting": overview.waiting,
    }
    return render(request, "tenders/buyer/dashboard.html", context)
