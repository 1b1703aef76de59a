"""Changes to a published tender: extending its deadlines, rectifying it, cancelling it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tenders.forms.fields import CpvFieldsMixin, DeadlineField, additional_cpv_field, main_cpv_field
from tenders.forms.flow import TenderDatesForm, TenderWhatForm
from tenders.models import Tender


class TenderExtendForm(forms.Form):
    """New, later deadlines and the reason firms will read."""

    quote_deadline = DeadlineField(label=_("New deadline for quotes"))
    question_deadline = DeadlineField(
        label=_("New deadline for questions"),
        required=False,
        help_text=_("Leave as it is to keep the current deadline for questions."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        help_text=_("Firms that follow or were invited get this in an e-mail."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, tender: Tender, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tender = tender

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        current = self.tender.question_deadline
        # The field shows whole minutes; the same minute as now means "keep it".
        if current and data.get("question_deadline") in (
            current,
            current.replace(second=0, microsecond=0),
        ):
            data["question_deadline"] = None
        return data

    @staticmethod
    def initial_for(tender: Tender) -> dict[str, Any]:
        return {
            "quote_deadline": tender.quote_deadline,
            "question_deadline": tender.question_deadline,
        }


class TenderRectifyForm(CpvFieldsMixin, forms.Form):
    """Corrections to a published tender and the public summary of them."""

    title = TenderWhatForm.base_fields["title"]
    description = TenderWhatForm.base_fields["description"]
    main_cpv = main_cpv_field()
    additional_cpv = additional_cpv_field()
    contact_name = TenderDatesForm.base_fields["contact_name"]
    contact_email = TenderDatesForm.base_fields["contact_email"]
    summary = forms.CharField(
        label=_("What changed"),
        max_length=5000,
        help_text=_(
            "In plain words, for the firms: they get this in an e-mail and it is shown on the "
            "tender's page."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def fields_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"].strip(),
            "description": data["description"].strip(),
            "main_cpv": data["main_cpv"],
            "additional_cpv": data["additional_cpv"],
            "contact_name": data["contact_name"].strip(),
            "contact_email": data["contact_email"],
        }

    @staticmethod
    def initial_for(tender: Tender) -> dict[str, Any]:
        what = TenderWhatForm.initial_for(tender)
        return {
            "title": what["title"],
            "description": what["description"],
            "main_cpv": what["main_cpv"],
            "additional_cpv": what["additional_cpv"],
            "contact_name": tender.contact_name,
            "contact_email": tender.contact_email,
        }


class TenderCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=2000,
        help_text=_("Firms see this on the tender's page and in an e-mail."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
