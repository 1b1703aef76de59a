"""The invitation assistant's forms: which firm goes on the shortlist and why, and the
municipality's rules for invitations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suppliers.models import Firm
from tenders.models import INVITATION_REASON_MAX_LENGTH, ProcurementPolicy
from tenders.services.invitations import REASON_REQUIRED
from tenders.services.procurement import POLICY_FIELDS


def reason_field(help_text: str = "") -> forms.CharField:
    """The buyer's reason for a change to the shortlist."""
    return forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=INVITATION_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
        error_messages={"required": REASON_REQUIRED},
    )


class ReasonForm(forms.Form):
    reason = reason_field()


class FirmChoiceForm(forms.Form):
    """Which firm (a proposed candidate or any KvK number) and why."""

    candidate = forms.ChoiceField(
        label=gettext_lazy("One of the next candidates"), required=False, widget=forms.RadioSelect
    )
    kvk_number = forms.CharField(
        label=gettext_lazy("Or another firm's KvK number"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    reason = reason_field(
        help_text=gettext_lazy("Part of the procedure's justification; firms do not see it.")
    )

    def __init__(self, *args: Any, candidates: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidate"].choices = candidates
        if not candidates:
            del self.fields["candidate"]
            self.fields["kvk_number"].label = gettext_lazy("KvK number of the firm")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kvk = (data.get("kvk_number") or "").strip() or data.get("candidate") or ""
        if not kvk:
            self.add_error("kvk_number", _("Choose a firm or enter its KvK number."))
            return data
        data["firm"] = Firm.objects.select_related("organisation").filter(kvk_number=kvk).first()
        if data["firm"] is None:
            self.add_error("kvk_number", _("No firm with this KvK number is listed on Dichtbij."))
        return data


class ProcurementPolicyForm(forms.ModelForm):
    class Meta:
        model = ProcurementPolicy
        fields = list(POLICY_FIELDS)
