"""Pages every signed-in person uses: their dashboard and their organisation's pages."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_safe

from marketplace.csv_export import csv_download, spreadsheet_safe
from marketplace.dashboard import dashboard_links_for
from marketplace.models import Membership
from marketplace.selectors import audit_events_for, get_organisation_for_member, memberships_for

AUDIT_PAGE_SIZE = 50
AUDIT_CSV_HEADER = ["time", "who", "action", "object_type", "object_id", "object", "details"]


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and feed readers ask for /favicon.ico whatever the page's <link rel="icon">
    says: send them to the site's icon."""
    return redirect(static("dichtbij/favicon.svg"), permanent=True)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Send a member of one organisation straight to its role's dashboard (the first page its app
    registered: a buyer's tenders, a firm's invitations and quotes); otherwise list them."""
    memberships = memberships_for(request.user)
    if len(memberships) == 1:
        organisation = memberships[0].organisation
        links = dashboard_links_for(organisation)
        if links:
            return redirect(links[0].url)
        return redirect("organisation_detail", slug=organisation.slug)
    choices = [(m, dashboard_links_for(m.organisation)) for m in memberships]
    return render(request, "marketplace/dashboard.html", {"choices": choices})


@login_required
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's dashboard, for its members only."""
    organisation = get_organisation_for_member(request, slug)
    members = Membership.objects.filter(organisation=organisation).select_related("user")
    context = {
        "organisation": organisation,
        "membership": next(m for m in members if m.user_id == request.user.pk),
        "members": members,
        "recent_events": audit_events_for(organisation)[:5],
        "links": dashboard_links_for(organisation),
    }
    return render(request, "marketplace/organisation_detail.html", context)


@login_required
@require_safe
def organisation_audit(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's own audit trail, paginated."""
    organisation = get_organisation_for_member(request, slug)
    page = Paginator(audit_events_for(organisation), AUDIT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "marketplace/organisation_audit.html", {"organisation": organisation, "page": page}
    )


@login_required
@require_safe
def organisation_audit_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """The whole audit trail as CSV."""
    organisation = get_organisation_for_member(request, slug)

    def rows() -> Iterator[list[str]]:
        for event in audit_events_for(organisation).iterator(chunk_size=500):
            yield [
                timezone.localtime(event.created_at).isoformat(),
                spreadsheet_safe(event.actor_label),
                event.action,
                event.object_type,
                event.object_id,
                spreadsheet_safe(event.object_repr),
                spreadsheet_safe(json.dumps(event.details, ensure_ascii=False, sort_keys=True)),
            ]

    return csv_download(AUDIT_CSV_HEADER, rows(), filename=f"audit-{organisation.slug}.csv")
