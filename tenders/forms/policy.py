"""The municipality's policy bands: up to which value which procedure will do."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from tenders.forms.fields import EuroField
from tenders.models import Procedure
from tenders.policy import Band, policy_bands_check

BAND_PROCEDURE_REQUIRED = _("Choose the procedure for this limit.")


class PolicyBandForm(forms.Form):
    """One band: up to this limit, this procedure. The last band has no limit."""

    procedure = forms.ChoiceField(
        label=_("Procedure"),
        required=False,
        choices=[("", "—"), *Procedure.choices],
    )
    max_value = EuroField(
        label=_("Up to (excl. VAT)"),
        required=False,
        help_text=_("Empty for the last band."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("max_value") is not None and not data.get("procedure"):
            self.add_error("procedure", forms.ValidationError(BAND_PROCEDURE_REQUIRED))
        return data


class BasePolicyBandFormSet(BaseFormSet):
    def bands(self) -> list[Band]:
        """The filled-in rows as bands, in order."""
        return [
            Band(Procedure(form.cleaned_data["procedure"]), form.cleaned_data["max_value"])
            for form in self.forms
            if form.cleaned_data.get("procedure")
        ]

    def clean(self) -> None:
        if any(self.errors):
            return
        if errors := policy_bands_check(self.bands()):
            raise forms.ValidationError(errors)

    @staticmethod
    def initial_for(bands: tuple[Band, ...]) -> list[dict[str, Any]]:
        return [{"procedure": band.procedure, "max_value": band.max_value} for band in bands]


PolicyBandFormSet = formset_factory(
    PolicyBandForm, formset=BasePolicyBandFormSet, extra=0, min_num=4, max_num=4
)
