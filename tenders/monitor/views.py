"""The monitor's pages (DESIGN §6): the overview, a municipality's figures with its charts and
tables, the CSV and the open-data lines, and the finance-export upload."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone

from marketplace.csv_export import csv_download
from marketplace.models import Municipality
from suppliers.importing import ImportFileError
from suppliers.search.query import DEFAULT_RADIUS_KM
from tenders.monitor import caching, charts, exports
from tenders.monitor.forms import MonitorScopeForm, SpendUploadForm
from tenders.monitor.selectors import (
    get_municipality_for_spend_admin,
    monitor_figures,
    monitor_overview,
)
from tenders.monitor.selectors.access import may_import_spend
from tenders.monitor.selectors.figures import TIERS, TOP_SUPPLIERS, region_members, tier_label
from tenders.monitor.services import spend_upload_import
from tenders.monitor.sources import years_with_data


def overview(request: HttpRequest) -> HttpResponse:
    """Every municipality with data: its local share this year and last, and per region."""
    year = timezone.localdate().year
    key = caching.page_key("overview", str(year), "")
    body = cache.get(key)
    if body is None:
        context = monitor_overview(year=year)
        body = render_to_string("tenders/monitor/includes/overview_body.html", context, request)
        cache.set(key, body, caching.PAGE_SECONDS)
    return render(request, "tenders/monitor/overview.html", {"body": body})


def _scope(request: HttpRequest, gm_code: str):
    municipality = get_object_or_404(
        Municipality.objects.select_related("region"), code=gm_code.upper()
    )
    region = request.GET.get("region") in ("1", "on", "true")
    codes = [m.code for m in region_members(municipality)] if region else [municipality.code]
    form = MonitorScopeForm(request.GET or None, years=years_with_data(codes))
    year = None
    if form.is_valid():
        year = form.cleaned_data["year"] or None
        region = form.cleaned_data["region"]
    return municipality, form, monitor_figures(municipality=municipality, year=year, region=region)


def detail(request: HttpRequest, gm_code: str) -> HttpResponse:
    """A municipality's (or its region's) figures for a year, charts with tables beside them
    (the body cached until the figures can have changed, see ``tenders.monitor.caching``)."""
    code = gm_code.upper()
    key = caching.page_key("detail", code, request.GET.urlencode())
    cached = cache.get(key)
    if cached is None:
        # Only a code that exists is ever cached: an unknown one is a 404 every time.
        municipality = get_object_or_404(Municipality.objects.select_related("region"), code=code)
        context = _detail_context(request, municipality)
        body = render_to_string("tenders/monitor/includes/detail_body.html", context, request)
        cached = {
            "body": body,
            "title": context["title"],
            "year": context["figures"].year,
            "municipality": {"code": municipality.code, "name": municipality.name},
        }
        cache.set(key, cached, caching.PAGE_SECONDS)
    context = {**cached, "may_import": may_import_spend(request.user, code)}
    return render(request, "tenders/monitor/detail.html", context)


def _detail_context(request: HttpRequest, municipality: Municipality) -> dict:
    municipality, form, figures = _scope(request, municipality.code)
    region = region_members(municipality)
    context = {
        "municipality": municipality,
        "form": form,
        "figures": figures,
        "tier_rows": [*figures.tiers, figures.unknown],
        "tier_labels": [tier_label(tier) for tier in (*TIERS, None)],
        "trend": [
            {
                "year": row.year,
                "cells": [
                    {
                        "label": tier_label(t),
                        "value": row.cells[t].value,
                        "count": row.cells[t].count,
                    }
                    for t in (*TIERS, None)
                ],
                "total": row.total,
                "share_of_value": row.local_share_of_value,
                "share_of_count": row.local_share_of_count,
            }
            for row in figures.trend
        ],
        "top_count": TOP_SUPPLIERS,
        "title": figures.scope_name,
        "bars": charts.stacked_bars(figures.trend),
        "lines": charts.share_lines(figures.trend),
        "region_names": [m.name for m in region if m.pk != municipality.pk],
        "radius_km": int(DEFAULT_RADIUS_KM),
        "query": exports.scope_query(figures),
    }
    return context


def export_csv(request: HttpRequest, gm_code: str) -> HttpResponse:
    """The figures as CSV: a row per tier, then the totals (UTF-8 with BOM, ";", Dutch numbers)."""
    _municipality, _form, figures = _scope(request, gm_code)
    header, rows = exports.figures_table(figures)
    name = f"lokale-besteding-{figures.municipality.code}-{figures.year}.csv"
    return csv_download(header, rows, filename=name, delimiter=";", bom=True)


def export_lines(request: HttpRequest, gm_code: str) -> StreamingHttpResponse:
    """Every line behind the figures, one JSON object a line, so anyone can recompute them."""
    _municipality, _form, figures = _scope(request, gm_code)

    def lines() -> Iterator[str]:
        for line in exports.figure_lines(figures):
            yield json.dumps(line, ensure_ascii=False) + "\n"

    response = StreamingHttpResponse(lines(), content_type="application/x-ndjson; charset=utf-8")
    name = f"lokale-besteding-{figures.municipality.code}-{figures.year}.jsonl"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def spend_upload(request: HttpRequest, gm_code: str) -> HttpResponse:
    """A municipality's buyer administrators import a finance export (or check it first)."""
    municipality = get_municipality_for_spend_admin(request, gm_code)
    form = SpendUploadForm(request.POST or None, request.FILES or None)
    report, error = None, ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = spend_upload_import(
                municipality=municipality,
                stream=upload.file,
                name=upload.name,
                by=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
        except ImportFileError as problem:
            error = str(problem)
    status = 400 if request.method == "POST" and (error or not form.is_valid()) else 200
    context = {"municipality": municipality, "form": form, "report": report, "error": error}
    return render(request, "tenders/monitor/upload.html", context, status=status)
