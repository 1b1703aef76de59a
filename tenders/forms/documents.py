"""A PDF the buyer adds to a tender."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tenders.models import TenderDocument


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TenderDocument._meta.get_field("title").max_length,
        help_text=_("What firms see, e.g. “Specifications” or “Drawing of the site”."),
    )
    file = forms.FileField(
        label=_("PDF file"),
        help_text=_("PDF only."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
