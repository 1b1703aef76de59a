"""The public tender pages: the list with its filters and facets, and a tender's own page."""

from __future__ import annotations

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from marketplace.models import CpvCode
from tenders import caching
from tenders.filters import CLOSED, OPEN, SORT_DEADLINE, SORT_NEWEST, TenderFilter
from tenders.models import ContractType, Procedure, Tender
from tenders.selectors.memberships import is_tender_buyer
from tenders.selectors.visibility import get_tender_for_viewer, tenders_visible_to
from tenders.views import participation
from tenders.views.award import outcome_context
from tenders.views.quotes import quote_panel_context

PAGE_SIZE = 20
FILTER_FIELDS = (
    "q",
    "cpv",
    "municipality",
    "region",
    "status",
    "procedure",
    "contract_type",
    "local_smes",
    "deadline_from",
    "deadline_to",
    "value_min",
    "value_max",
)


def tender_list(request: HttpRequest) -> HttpResponse:
    """Every tender the visitor may see, filtered, sorted and counted (the body cached, see
    tenders.caching)."""
    now = timezone.now()
    key = caching.list_key(request, now)
    body = cache.get(key)
    if body is None:
        body = render_to_string(
            "tenders/includes/list_body.html", _list_context(request, now), request=request
        )
        cache.set(key, body, caching.LIST_SECONDS)
    return render(request, "tenders/tender_list.html", {"body": body})


def _list_context(request: HttpRequest, now) -> dict[str, object]:
    visible = tenders_visible_to(request.user).published()
    filterset = TenderFilter(request.GET, queryset=visible, request=request, now=now)
    context: dict[str, object] = {"filterset": filterset, "form": filterset.form}
    if filterset.is_valid():
        tenders = filterset.qs.select_related("buyer", "place_of_performance")
        counts = filterset.facets()
        paginator = Paginator(tenders, PAGE_SIZE)
        paginator.count = counts["total"]  # counted with the facets already
        page = paginator.get_page(request.GET.get("page"))
        data = filterset.form.cleaned_data
        context |= {
            "page": page,
            "rows": list(page),
            "facets": _facets(request, counts),
            "is_filtered": any(data.get(name) for name in FILTER_FIELDS),
            "sort": data.get("sort") or SORT_DEADLINE,
            "sorts": [
                (SORT_DEADLINE, gettext("Deadline soonest")),
                (SORT_NEWEST, gettext("Newest")),
            ],
            "chosen_cpv": CpvCode.objects.filter(pk__in=data.get("cpv") or ()).order_by("code"),
        }
    return context


def _facets(request: HttpRequest, counts: dict) -> list[dict[str, object]]:
    """The facet groups as the page lists them: a title and (label, count, narrowing link)."""

    def link(name: str, value: str) -> str:
        params = request.GET.copy()
        params.pop("page", None)
        params[name] = value
        return f"?{params.urlencode()}"

    status_labels = {OPEN: gettext("Open for quotes"), CLOSED: gettext("Closed")}
    groups = [
        (
            gettext("Status"),
            [("status", k, status_labels[k], n) for k, n in counts["status"].items()],
        ),
        (
            gettext("Procedure"),
            [("procedure", k, Procedure(k).label, n) for k, n in counts["procedure"].items()],
        ),
        (
            gettext("Contract type"),
            [
                ("contract_type", k, ContractType(k).label, n)
                for k, n in counts["contract_type"].items()
            ],
        ),
        (
            gettext("Lots"),
            [("local_smes", "on", gettext("Suitable for local SMEs"), counts["local_smes"])],
        ),
    ]
    return [
        {
            "title": title,
            "items": [(label, n, link(name, value)) for name, value, label, n in items if n],
        }
        for title, items in groups
    ]


def tender_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A tender's page; 404 for drafts and invite-only tenders the visitor may not see."""
    tender = get_tender_for_viewer(request.user, pk)
    now = timezone.now()
    questions = list(tender.questions.published().order_by("number"))
    context: dict[str, object] = {
        "tender": tender,
        "questions_open": tender.question_deadline is not None and tender.question_deadline > now,
        "cpv_codes": _cpv_codes(tender),
        "lots": list(tender.lots.all()),
        "award_criteria": list(tender.award_criteria.all()),
        "documents": list(tender.documents.all()),
        "questions": questions,
        "changes": list(tender.changes.all()),
        "is_buyer": is_tender_buyer(request.user, tender),
    }
    participation_context = getattr(participation, "participation_context", None)
    if participation_context is not None:
        context |= participation_context(request, tender)
    context |= quote_panel_context(request, tender)
    context |= outcome_context(request, tender)
    return render(request, "tenders/tender_detail.html", context)


def _cpv_codes(tender: Tender) -> list[CpvCode]:
    """The main CPV code first, then the others by code."""
    codes = [tender.main_cpv] if tender.main_cpv else []
    codes += [c for c in tender.additional_cpv.order_by("code") if c.pk != tender.main_cpv_id]
    return codes
