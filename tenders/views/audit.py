"""A tender's audit trail for its buying organisation, as a page and as CSV."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from marketplace.audit import audit_action_label
from marketplace.csv_export import csv_download, spreadsheet_safe
from marketplace.models import AuditEvent
from tenders.audit import (
    audit_actor_text,
    audit_details,
    audit_details_text,
    tender_audit_events,
)
from tenders.selectors.visibility import get_tender_for_buyer

AUDIT_PAGE_SIZE = 50
# Column names of the export; Dutch, because the export is read in Dutch spreadsheets.
CSV_HEADER = ["tijdstip", "wie", "organisatie", "actie", "omschrijving", "details"]


@dataclass(frozen=True)
class AuditRow:
    """One event as the page shows it."""

    event: AuditEvent
    who: str
    label: str
    details: list[tuple[str, str]]


@login_required
@require_safe
def tender_audit(request: HttpRequest, pk: int) -> HttpResponse:
    """Who did what and when on this tender, vault attempts included; for its buyers only."""
    tender = get_tender_for_buyer(request, pk)
    page = Paginator(tender_audit_events(tender), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        AuditRow(
            event,
            audit_actor_text(event, tender),
            audit_action_label(event.action),
            audit_details(event.details),
        )
        for event in page.object_list
    ]
    return render(
        request, "tenders/audit/trail.html", {"tender": tender, "page": page, "rows": rows}
    )


@login_required
@require_safe
def tender_audit_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The whole audit trail of the tender as CSV (UTF-8 with BOM, so Excel reads it right)."""
    tender = get_tender_for_buyer(request, pk)

    def rows() -> Iterator[list[str]]:
        for event in tender_audit_events(tender).iterator(chunk_size=500):
            yield [
                timezone.localtime(event.created_at).isoformat(timespec="seconds"),
                spreadsheet_safe(event.actor_label),
                spreadsheet_safe(event.organisation.name if event.organisation else ""),
                event.action,
                spreadsheet_safe(audit_action_label(event.action)),
                spreadsheet_safe(audit_details_text(event.details)),
            ]

    return csv_download(CSV_HEADER, rows(), filename=f"audit-{tender.reference}.csv", bom=True)
