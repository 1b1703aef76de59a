"""The buyer's dashboard: the organisation's tenders by status, with deadlines and questions
waiting."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tenders.models import Status, Tender
from tenders.selectors.memberships import buyer_organisations

DASHBOARD_ORDER = [
    Status.DRAFT,
    Status.PUBLISHED,
    Status.CLOSED,
    Status.OPENED,
    Status.AWARDED,
    Status.COMPLETED,
    Status.UNSUCCESSFUL,
    Status.CANCELLED,
]


@login_required
def buyer_dashboard(request: HttpRequest) -> HttpResponse:
    """The organisation's tenders by status, with deadlines and questions waiting."""
    organisations = buyer_organisations(request.user)
    tenders = (
        Tender.objects.filter(buyer__in=organisations)
        .select_related("buyer")
        .annotate(unanswered=Count("questions", filter=Q(questions__answered_at__isnull=True)))
    )
    by_status: dict[str, list[Tender]] = {status: [] for status in DASHBOARD_ORDER}
    for tender in tenders:
        by_status[tender.effective_status].append(tender)
    groups = [
        {"status": status, "label": Status(status).label, "tenders": rows}
        for status, rows in by_status.items()
        if rows
    ]
    for group in groups:
        if group["status"] in (Status.PUBLISHED, Status.CLOSED):
            far = timezone.now().replace(year=9999)
            group["tenders"].sort(key=lambda t: t.quote_deadline or far)
    context = {
        "organisations": organisations,
        "groups": groups,
        "total": sum(len(group["tenders"]) for group in groups),
        "waiting": sum(t.unanswered for group in groups for t in group["tenders"]),
    }
    return render(request, "tenders/buyer/dashboard.html", context)
