"""The supplier search form, which the search page and GET /api/suppliers share (DESIGN §4.1)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.forms import QuickSelect
from marketplace.models import CpvCode, Municipality
from suppliers.forms import UNKNOWN_CPV_CODES, split_codes
from suppliers.models import Certification, Size
from suppliers.search.base import MAX_RADIUS_KM
from suppliers.search.query import DEFAULT_RADIUS_KM, SearchQuery

# A CPV filter's code: the code or its first digits ("4544" is 45440000), any check digit.
CPV_FILTER_TOKEN = re.compile(r"^(\d{2,8})(?:-\d)?$")

UNKNOWN_MUNICIPALITY = _("Unknown municipality code: %(value)s.")


class MunicipalityCodeField(forms.ModelChoiceField):
    """A municipality by its code, in either case ("gm0505" is Dordrecht)."""

    default_error_messages = {"invalid_choice": UNKNOWN_MUNICIPALITY}

    def to_python(self, value: Any) -> Municipality | None:
        return super().to_python(value.upper() if isinstance(value, str) else value)


class SupplierSearchForm(forms.Form):
    """What someone looks for: bound to the page's query string or to the API's parameters."""

    q = forms.CharField(
        label=_("What are you looking for?"),
        help_text=_("For example: schilder, dakdekker, schoonmaak."),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    near = MunicipalityCodeField(
        queryset=Municipality.objects.all(),
        to_field_name="code",
        label=_("Near municipality"),
        empty_label=_("Anywhere in the Netherlands"),
        required=False,
        widget=QuickSelect,
    )
    radius_km = forms.DecimalField(
        label=_("Nearby means within (km)"),
        min_value=0,
        max_value=MAX_RADIUS_KM,
        required=False,
        widget=forms.NumberInput(attrs={"step": "1", "placeholder": f"{DEFAULT_RADIUS_KM:.0f}"}),
    )
    cpv = forms.CharField(
        label=_("Activities (CPV codes)"),
        help_text=_(
            "Each code includes everything below it, e.g. 45400000 for all finishing work."
        ),
        required=False,
        widget=forms.TextInput(attrs={"data-cpv-picker": "", "autocomplete": "off"}),
    )
    size = forms.MultipleChoiceField(
        choices=Size.choices,
        label=_("Size"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    certification = forms.ModelMultipleChoiceField(
        queryset=Certification.objects.all(),
        label=_("Certifications"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partners = forms.BooleanField(label=_("Only firms open to partnerships"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The API may ask for any radius the backends take (0 to 500 km); the page's input keeps
        # suggesting 1 to 200 km, as it always did.
        self.fields["radius_km"].widget.attrs.update(min=1, max=200)

    def clean_cpv(self) -> tuple[str, ...]:
        """The codes of the CPV filter, each standing for its subtree: separated by spaces,
        commas or semicolons, each a code or its first digits, with or without a check digit."""
        codes: dict[str, str | None] = {}
        for token in split_codes(self.cleaned_data["cpv"]):
            match = CPV_FILTER_TOKEN.match(token)
            codes[token] = match.group(1).ljust(8, "0") if match else None
        named = [code for code in codes.values() if code is not None]
        known = set(CpvCode.objects.filter(pk__in=named).values_list("pk", flat=True))
        unknown = [token for token, code in codes.items() if code not in known]
        if unknown:
            raise forms.ValidationError(UNKNOWN_CPV_CODES, params={"codes": ", ".join(unknown)})
        return tuple(dict.fromkeys(codes.values()))

    def search_query(
        self, *, limit: int, offset: int, facets: bool = False, activities: bool = False
    ) -> SearchQuery:
        """The SearchQuery of the bound, valid form; ``facets`` and ``activities`` as there."""
        data = self.cleaned_data
        radius = data.get("radius_km")
        return SearchQuery(
            text=data.get("q") or "",
            cpv=data.get("cpv") or (),
            near=data.get("near"),
            radius_km=DEFAULT_RADIUS_KM if radius is None else float(radius),
            sizes=tuple(data.get("size") or ()),
            certifications=tuple(c.pk for c in data.get("certification") or ()),
            open_to_partnerships=bool(data.get("partners")),
            limit=limit,
            offset=offset,
            facets=facets,
            activities=activities,
        )
