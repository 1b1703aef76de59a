"""A firm's own tenders: where it is invited, what it follows, its quotes and their outcomes."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from suppliers.selectors import firms_of
from tenders.selectors.dashboards import firm_next_steps
from tenders.selectors.quotes import firm_tenders


@login_required
def firm_dashboard(request: HttpRequest) -> HttpResponse:
    """Per firm of the user: what to quote for next, invitations (sent ones only), followed
    tenders, quotes, outcomes."""
    firms = firms_of(request.user)
    return render(
        request,
        "tenders/invitations/firm_dashboard.html",
        {"firms": [{**firm_tenders(firm), "next_steps": firm_next_steps(firm)} for firm in firms]},
    )
