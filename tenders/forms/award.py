"""The buyer's evaluation and award: scores, exclusions, the award decision, the contract, or no
award."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from tenders.evaluation import MAX_SCORE
from tenders.forms.fields import DateInput, EuroField
from tenders.models import Quote, QuoteScore
from tenders.models.award import SCORE_OUT_OF_RANGE

SCORE_NOT_A_NUMBER = gettext_lazy("Type a score from 0 to 10, like 7 or 7,5.")
SCORE_TOO_PRECISE = gettext_lazy("Use at most two decimals.")


class ScoreField(forms.CharField):
    """A score from 0 to 10, typed the Dutch way ("7,5") or with a dot."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "decimal", "class": "input--short", "size": 5, "maxlength": 6}
            ),
        )
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            score = Decimal(text.strip().replace(",", "."))
        except InvalidOperation as error:
            raise ValidationError(SCORE_NOT_A_NUMBER, code="invalid") from error
        if not score.is_finite() or not Decimal(0) <= score <= MAX_SCORE:
            raise ValidationError(SCORE_OUT_OF_RANGE, code="range")
        if score != score.quantize(Decimal("0.01")):
            raise ValidationError(SCORE_TOO_PRECISE, code="precision")
        return score

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return f"{value.normalize():f}".replace(".", ",")
        return value


class ScoresForm(forms.Form):
    """One score field per quote and quality criterion, named ``score_<quote>_<criterion>``."""

    def __init__(self, *args: Any, quotes: list[Quote], criteria: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        saved = {
            (s.quote_id, s.criterion_id): s.score
            for s in QuoteScore.objects.filter(quote__in=quotes, criterion__in=criteria)
        }
        self.cells: dict[tuple[int, int], str] = {}
        for quote in quotes:
            for criterion in criteria:
                name = f"score_{quote.pk}_{criterion.pk}"
                self.fields[name] = ScoreField(
                    label=f"{criterion.name} · {quote.firm.name}",
                    initial=saved.get((quote.pk, criterion.pk)),
                )
                self.cells[(quote.pk, criterion.pk)] = name

    def scores(self) -> dict[tuple[int, int], Decimal | None]:
        return {key: self.cleaned_data[name] for key, name in self.cells.items()}


class ExcludeForm(forms.Form):
    quote = forms.TypedChoiceField(label=gettext_lazy("Quote"), coerce=int)
    reason = forms.CharField(
        label=gettext_lazy("Why is this quote excluded?"),
        max_length=2000,
        help_text=gettext_lazy("The firm reads this in the award decision."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, quotes: list[Quote], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quote"].choices = [
            (q.pk, q.firm.name) for q in quotes if not q.excluded_reason
        ]


class AwardForm(forms.Form):
    quote = forms.IntegerField(widget=forms.HiddenInput)
    motivation = forms.CharField(
        label=gettext_lazy("Motivation"),
        max_length=10000,
        help_text=gettext_lazy(
            "Why this quote wins, by the published criteria. Every bidder reads this."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ContractForm(forms.Form):
    value = EuroField(label=gettext_lazy("Contract value (excl. VAT)"))
    signed_on = forms.DateField(label=gettext_lazy("Signed on"), widget=DateInput())
    start_date = forms.DateField(label=gettext_lazy("Start"), widget=DateInput())
    end_date = forms.DateField(label=gettext_lazy("End"), required=False, widget=DateInput())


class UnsuccessfulForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is there no award?"),
        max_length=2000,
        help_text=gettext_lazy("The firms read this on the tender's page and in an e-mail."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
