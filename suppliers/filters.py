"""The supplier search form as a django-filter FilterSet; the search backend does the filtering."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.forms import QuickSelect
from marketplace.models import Municipality
from suppliers.forms import parse_cpv
from suppliers.models import Certification, Firm, Size
from suppliers.search import SearchQuery
from suppliers.search.query import DEFAULT_RADIUS_KM

UNKNOWN_CPV_CODES = _("Unknown CPV codes: %(codes)s.")


class SupplierSearchForm(forms.Form):
    def clean_cpv(self) -> tuple[str, ...]:
        known, malformed, unknown = parse_cpv(self.cleaned_data.get("cpv") or "")
        if malformed or unknown:
            raise forms.ValidationError(
                UNKNOWN_CPV_CODES, params={"codes": ", ".join(malformed + unknown)}
            )
        return tuple(code.code for code in known)


class SupplierSearchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("What are you looking for?"),
        help_text=_("For example: schilder, dakdekker, schoonmaak."),
        method="search_only",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    near = django_filters.ModelChoiceFilter(
        queryset=Municipality.objects.all(),
        to_field_name="code",
        label=_("Near municipality"),
        empty_label=_("Anywhere in the Netherlands"),
        method="search_only",
        widget=QuickSelect,
    )
    radius_km = django_filters.NumberFilter(
        label=_("Nearby means within (km)"),
        min_value=1,
        max_value=200,
        method="search_only",
        widget=forms.NumberInput(attrs={"step": "1", "placeholder": f"{DEFAULT_RADIUS_KM:.0f}"}),
    )
    cpv = django_filters.CharFilter(
        label=_("Activities (CPV codes)"),
        help_text=_(
            "Each code includes everything below it, e.g. 45400000 for all finishing work."
        ),
        method="search_only",
        widget=forms.TextInput(attrs={"data-cpv-picker": "", "autocomplete": "off"}),
    )
    size = django_filters.MultipleChoiceFilter(
        choices=Size.choices,
        label=_("Size"),
        widget=forms.CheckboxSelectMultiple,
        method="search_only",
    )
    certification = django_filters.ModelMultipleChoiceFilter(
        queryset=Certification.objects.all(),
        label=_("Certifications"),
        widget=forms.CheckboxSelectMultiple,
        method="search_only",
    )
    partners = django_filters.BooleanFilter(
        label=_("Only firms open to partnerships"),
        widget=forms.CheckboxInput,
        method="search_only",
    )

    class Meta:
        model = Firm
        fields: list[str] = []
        form = SupplierSearchForm

    def search_only(self, queryset, name, value):
        """The backend filters (``search_query``); the queryset is never used."""
        return queryset

    def search_query(self, *, limit: int, offset: int) -> SearchQuery:
        """The SearchQuery of the bound, valid form."""
        data = self.form.cleaned_data
        return SearchQuery(
            text=data.get("q") or "",
            cpv=data.get("cpv") or (),
            near=data.get("near"),
            radius_km=float(data.get("radius_km") or DEFAULT_RADIUS_KM),
            sizes=tuple(data.get("size") or ()),
            certifications=tuple(c.pk for c in data.get("certification") or ()),
            open_to_partnerships=bool(data.get("partners")),
            limit=limit,
            offset=offset,
            facets=True,
        )
