"""The firm's sealed quote: the price (per lot when the tender has lots), the PDFs and a note."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from suppliers.models import Firm
from tenders.forms.fields import EuroField, MultiplePdfField, OnBehalfOfForm
from tenders.models import QUOTE_NOTE_MAX_LENGTH, Tender
from tenders.services.quotes import PRICE_REQUIRED


class QuoteForm(OnBehalfOfForm):
    total = EuroField(
        label=_("Your price (excl. VAT)"),
        error_messages={"required": PRICE_REQUIRED},
        help_text=_("In euros, like 12.500 or 12.500,50."),
    )
    files = MultiplePdfField(
        label=_("Your quote documents (PDF)"),
        required=False,
        help_text=_(
            "PDF only; you can choose several files at once. If the page shows an error, "
            "choose the files again."
        ),
    )
    note = forms.CharField(
        label=_("Note to the buyer"),
        required=False,
        max_length=QUOTE_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sealed with your quote: the buyer reads it after the opening."),
    )

    def __init__(self, *args: Any, tender: Tender, firms: list[Firm], **kwargs: Any) -> None:
        super().__init__(*args, firms=firms, **kwargs)
        self.lots = list(tender.lots.all())
        if self.lots:
            del self.fields["total"]
            for lot in self.lots:
                self.fields[f"lot_{lot.number}"] = EuroField(
                    label=_("Price for lot %(number)s: %(title)s (excl. VAT)")
                    % {"number": lot.number, "title": lot.title},
                    required=False,
                )
            self.order_fields(["firm", *[f"lot_{lot.number}" for lot in self.lots]])

    def prices(self) -> tuple[Any, dict[int, Any]]:
        data = self.cleaned_data
        return data.get("total"), {lot.number: data.get(f"lot_{lot.number}") for lot in self.lots}
