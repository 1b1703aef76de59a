"""The forms of the alerts pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tenders.alerts.models import Frequency, Subscription


class SaveSearchForm(forms.Form):
    """ "Bewaar als melding" on the tender list: a name, how often, and the list's filters."""

    name = forms.CharField(
        label=_("Name of the alert"),
        max_length=120,
        help_text=_("So you recognise it, e.g. Schilderwerk Drechtsteden."),
    )
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Frequency.choices, initial=Frequency.INSTANT
    )
    query = forms.CharField(widget=forms.HiddenInput, required=False)


class SubscriptionForm(forms.ModelForm):
    class Meta:
        model = Subscription
        fields = ["name", "frequency"]
        labels = {"name": _("Name of the alert"), "frequency": _("How often")}
