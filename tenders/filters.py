"""The tender list's filters as a django-filter FilterSet, shared by /tenders/ and /api/tenders.

The view or API hands in the tenders the visitor may see (``tenders.selectors.visibility``); the
FilterSet only narrows and sorts them, and counts the facets with one aggregate query.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.forms import QuickSelect
from marketplace.models import Municipality, Region, cpv_prefix
from suppliers.forms import UNKNOWN_CPV_CODES, parse_cpv
from tenders.models import ContractType, Lot, Procedure, Status, Tender

OPEN = "open"
CLOSED = "closed"
SORT_DEADLINE = "deadline"
SORT_NEWEST = "newest"

DEADLINE_RANGE_REVERSED = _("The first date cannot be after the last date.")
VALUE_RANGE_REVERSED = _("The lowest value cannot be higher than the highest value.")
MAX_WORDS = 10


def words_of(text: str) -> list[str]:
    """The words of a search, without repeats (a few at most, to keep the query cheap)."""
    return list(dict.fromkeys(text.split()))[:MAX_WORDS]


def open_condition(now: datetime | None = None) -> Q:
    """Taking quotes right now: the same rule as ``TenderQuerySet.open``."""
    return Q(status=Status.PUBLISHED, quote_deadline__gt=now or timezone.now())


def suitable_lot_exists() -> Exists:
    return Exists(Lot.objects.filter(tender=OuterRef("pk"), suitable_for_local_smes=True))


def region_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Regions grouped by kind (regional groupings, COROP regions, provinces)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for region in Region.objects.order_by("name"):
        groups.setdefault(region.kind, []).append((region.code, region.name))
    order = [Region.Kind.GROUPING, Region.Kind.COROP, Region.Kind.PROVINCE]
    return [(str(kind.label), groups[kind]) for kind in order if kind in groups]


class TenderFilterForm(forms.Form):
    def clean_cpv(self) -> tuple[str, ...]:
        known, malformed, unknown = parse_cpv(self.cleaned_data.get("cpv") or "")
        if malformed or unknown:
            raise forms.ValidationError(
                UNKNOWN_CPV_CODES, params={"codes": ", ".join(malformed + unknown)}
            )
        return tuple(code.code for code in known)

    def clean_deadline_to(self) -> date | None:
        first = self.cleaned_data.get("deadline_from")
        last = self.cleaned_data.get("deadline_to")
        if first and last and first > last:
            raise forms.ValidationError(DEADLINE_RANGE_REVERSED)
        return last

    def clean_value_max(self) -> Decimal | None:
        low = self.cleaned_data.get("value_min")
        high = self.cleaned_data.get("value_max")
        if low is not None and high is not None and low > high:
            raise forms.ValidationError(VALUE_RANGE_REVERSED)
        return high


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def euro_input() -> forms.NumberInput:
    return forms.NumberInput(attrs={"step": "1000", "min": "0", "inputmode": "numeric"})


class TenderFilter(django_filters.FilterSet):
    """Text, CPV subtree, place, procedure, type, open/closed, deadline, value, local SMEs."""

    q = django_filters.CharFilter(
        label=_("Search"),
        help_text=_("Words in the title, description or reference, e.g. schilderwerk."),
        method="filter_text",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    cpv = django_filters.CharFilter(
        label=_("Activities (CPV codes)"),
        help_text=_(
            "Each code includes everything below it, e.g. 45400000 for all finishing work."
        ),
        method="filter_cpv",
        widget=forms.TextInput(attrs={"data-cpv-picker": "", "autocomplete": "off"}),
    )
    municipality = django_filters.ModelChoiceFilter(
        queryset=Municipality.objects.all(),
        to_field_name="code",
        field_name="place_of_performance",
        label=_("Place of performance"),
        empty_label=_("Any municipality"),
        widget=QuickSelect,
    )
    region = django_filters.ChoiceFilter(
        choices=region_choices,
        label=_("Region"),
        empty_label=_("Any region"),
        method="filter_region",
        widget=QuickSelect,
    )
    status = django_filters.ChoiceFilter(
        choices=[(OPEN, _("Open for quotes")), (CLOSED, _("Closed"))],
        label=_("Status"),
        empty_label=_("Open and closed"),
        method="filter_status",
        widget=forms.RadioSelect,
    )
    procedure = django_filters.MultipleChoiceFilter(
        choices=Procedure.choices, label=_("Procedure"), widget=forms.CheckboxSelectMultiple
    )
    contract_type = django_filters.MultipleChoiceFilter(
        choices=ContractType.choices,
        label=_("Contract type"),
        widget=forms.CheckboxSelectMultiple,
    )
    local_smes = django_filters.BooleanFilter(
        label=_("Has a lot suitable for local SMEs"),
        method="filter_local_smes",
        widget=forms.CheckboxInput,
    )
    deadline_from = django_filters.DateFilter(
        field_name="quote_deadline",
        lookup_expr="date__gte",
        label=_("Deadline from"),
        widget=date_input(),
    )
    deadline_to = django_filters.DateFilter(
        field_name="quote_deadline",
        lookup_expr="date__lte",
        label=_("Deadline until"),
        widget=date_input(),
    )
    value_min = django_filters.NumberFilter(
        label=_("Value from (€, excl. VAT)"),
        method="filter_value_min",
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=euro_input(),
    )
    value_max = django_filters.NumberFilter(
        label=_("Value up to (€, excl. VAT)"),
        method="filter_value_max",
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=euro_input(),
    )
    sort = django_filters.ChoiceFilter(
        choices=[(SORT_DEADLINE, _("Deadline soonest")), (SORT_NEWEST, _("Newest"))],
        label=_("Sort by"),
        empty_label=None,
        method="keep",
    )

    class Meta:
        model = Tender
        fields: list[str] = []
        form = TenderFilterForm

    def __init__(self, *args: Any, now: datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()

    # Filters -------------------------------------------------------------------------------------

    def keep(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        """Sorting is applied in ``filter_queryset``, after every filter."""
        return queryset

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Every word must appear in the title, the description or the reference."""
        for word in words_of(value):
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(reference__icontains=word)
            )
        return queryset

    def filter_cpv(self, queryset: QuerySet, name: str, value: tuple[str, ...]) -> QuerySet:
        """The main or an additional CPV code lies in one of the chosen codes' subtrees."""
        if not value:
            return queryset
        prefixes = {cpv_prefix(code) for code in value}
        main = Q()
        additional = Q()
        for prefix in prefixes:
            main |= Q(main_cpv__code__startswith=prefix)
            additional |= Q(cpvcode__code__startswith=prefix)
        through = Tender.additional_cpv.through.objects.filter(additional)
        return queryset.filter(main | Q(pk__in=through.values("tender_id")))

    def filter_region(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(place_of_performance__region_id=value)
            | Q(place_of_performance__corop_id=value)
            | Q(place_of_performance__province_id=value)
        )

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == OPEN:
            return queryset.filter(open_condition(self.now))
        return queryset.exclude(open_condition(self.now))

    def filter_local_smes(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        return queryset.filter(suitable_lot_exists()) if value else queryset

    def filter_value_min(self, queryset: QuerySet, name: str, value: Decimal) -> QuerySet:
        """The estimate (or the top of its range) reaches the lowest value asked for."""
        return queryset.filter(
            Q(estimated_value_max__gte=value)
            | Q(estimated_value_max__isnull=True, estimated_value_min__gte=value)
        )

    def filter_value_max(self, queryset: QuerySet, name: str, value: Decimal) -> QuerySet:
        """The estimate (or the bottom of its range) stays within the highest value asked for."""
        return queryset.filter(estimated_value_min__lte=value)

    # Sorting and facets --------------------------------------------------------------------------

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = self.filtered = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("sort") == SORT_NEWEST:
            return queryset.order_by(F("published_at").desc(nulls_last=True), "-pk")
        # Open tenders first, the soonest deadline on top; then the most recently closed.
        return queryset.alias(
            open_deadline=Case(When(open_condition(self.now), then=F("quote_deadline")))
        ).order_by(
            F("open_deadline").asc(nulls_last=True),
            F("quote_deadline").desc(nulls_last=True),
            "-pk",
        )

    def facets(self) -> dict[str, Any]:
        """Counts of the filtered tenders by status, procedure, contract type and local-SME lots,
        in one aggregate query."""
        aggregates = {
            "total": Count("pk"),
            "open": Count("pk", filter=open_condition(self.now)),
            "local_smes": Count("pk", filter=Q(has_local_sme_lot=True)),
        }
        for value in Procedure.values:
            aggregates[f"procedure_{value}"] = Count("pk", filter=Q(procedure=value))
        for value in ContractType.values:
            aggregates[f"contract_type_{value}"] = Count("pk", filter=Q(contract_type=value))
        self.qs  # noqa: B018 - filters, and keeps the unsorted result in ``self.filtered``
        counts = (
            self.filtered.order_by()
            .annotate(has_local_sme_lot=suitable_lot_exists())
            .aggregate(**aggregates)
        )
        return {
            "total": counts["total"],
            "status": {OPEN: counts["open"], CLOSED: counts["total"] - counts["open"]},
            "procedure": {v: counts[f"procedure_{v}"] for v in Procedure.values},
            "contract_type": {v: counts[f"contract_type_{v}"] for v in ContractType.values},
            "local_smes": counts["local_smes"],
        }
