"""The fields and widgets the tender forms share: amounts in euros, moments in Dutch time, PDF
uploads, CPV codes, and the firm a user acts for."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.models import UNKNOWN_CPV, CpvCode
from suppliers.forms import NOT_CPV, parse_cpv
from suppliers.models import Firm
from tenders.models import MAX_AMOUNT, VALUE_NEGATIVE

NOT_AN_AMOUNT = _("Enter an amount in euros, like 45000, 45.000 or 45.000,50.")
AMOUNT_TOO_HIGH = _(
    "That is more than € 10 billion. Check the amount: euros excluding VAT, like 45.000."
)
ONE_MAIN_CPV = _("Enter one main CPV code. Put the other codes under other CPV codes.")

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M", "%d-%m-%Y %H.%M"]

_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_PLAIN = re.compile(r"^\d+(\.\d{1,2})?$")
_DIGITS = re.compile(r"^(\d+|\d{1,3}(\.\d{3})+)$")
_CENTS = re.compile(r"^\d{1,2}$")


# Amounts -----------------------------------------------------------------------------------------


def parse_euro(text: str) -> Decimal:
    """An amount as Dutch buyers type it: "45000", "45.000", "45.000,50", "€ 45.000,-"; also
    "45000.50". A dot followed by three digits is a thousands separator, never a decimal point."""
    value = re.sub(r"[\s\u00a0€]", "", text).removesuffix(",-").removesuffix(",--")
    if value.startswith("-"):
        raise forms.ValidationError(VALUE_NEGATIVE, code="negative")
    if "," in value:
        whole, _comma, cents = value.rpartition(",")
        if not (_DIGITS.match(whole) and _CENTS.match(cents)):
            raise forms.ValidationError(NOT_AN_AMOUNT, code="invalid")
        value = f"{whole.replace('.', '')}.{cents}"
    elif _THOUSANDS.match(value):
        value = value.replace(".", "")
    elif not _PLAIN.match(value):
        raise forms.ValidationError(NOT_AN_AMOUNT, code="invalid")
    try:
        amount = Decimal(value)
    except InvalidOperation as error:
        raise forms.ValidationError(NOT_AN_AMOUNT, code="invalid") from error
    if amount > MAX_AMOUNT:
        raise forms.ValidationError(AMOUNT_TOO_HIGH, code="too_high")
    return amount


def format_amount(amount: Decimal) -> str:
    """An amount for an input field, the Dutch way and without the euro sign: "45.000,50"."""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    whole, cents = f"{amount:.2f}".split(".")
    text = f"{int(whole):,}".replace(",", ".")
    return text if cents == "00" else f"{text},{cents}"


class EuroField(forms.CharField):
    """An amount in euros excl. VAT, typed the Dutch way; cleaned to a Decimal."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "decimal", "class": "input--short", "maxlength": "30"}
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        return parse_euro(text)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int):
            return format_amount(Decimal(value))
        return value


# Moments -----------------------------------------------------------------------------------------


class DeadlineField(forms.DateTimeField):
    """A moment in Dutch time, with the browser's date-and-time picker where there is one."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATETIME_INPUT_FORMATS)
        kwargs.setdefault(
            "widget",
            forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.localtime(value)
        return value


class DateInput(forms.DateInput):
    """The browser's date picker."""

    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


# PDF uploads -------------------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultiplePdfField(forms.FileField):
    """Several files from one input; the content checks are the service's."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "application/pdf,.pdf", "multiple": True})
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        if isinstance(data, list | tuple):
            return [super(MultiplePdfField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


# CPV codes ---------------------------------------------------------------------------------------


def cpv_widget() -> forms.TextInput:
    return forms.TextInput(
        attrs={"autocomplete": "off", "spellcheck": "false", "data-cpv-picker": ""}
    )


def _clean_cpv(value: str) -> list[CpvCode]:
    known, malformed, unknown = parse_cpv(value)
    errors = []
    if malformed:
        errors.append(forms.ValidationError(NOT_CPV, params={"codes": ", ".join(malformed)}))
    if unknown:
        errors.append(forms.ValidationError(UNKNOWN_CPV, params={"codes": ", ".join(unknown)}))
    if errors:
        raise forms.ValidationError(errors)
    return known


def cpv_text(codes: list[CpvCode]) -> str:
    """CPV codes as the fields show them: "45442100-8, 45000000-7"."""
    return ", ".join(code.full_code for code in codes)


class CpvFieldsMixin:
    """The main CPV code (one) and the other CPV codes (any), both with the type-ahead."""

    def clean_main_cpv(self) -> CpvCode | None:
        known = _clean_cpv(self.cleaned_data["main_cpv"])
        if len(known) > 1:
            raise forms.ValidationError(ONE_MAIN_CPV, code="one_main_cpv")
        return known[0] if known else None

    def clean_additional_cpv(self) -> list[CpvCode]:
        return _clean_cpv(self.cleaned_data["additional_cpv"])

    def chosen(self, name: str) -> list[CpvCode]:
        """The known codes in a CPV field as it stands, to show their labels next to it."""
        field = self[name]
        value = field.data if self.is_bound else field.initial
        known, _malformed, _unknown = parse_cpv(value or "")
        return known

    def chosen_main_cpv(self) -> list[CpvCode]:
        return self.chosen("main_cpv")

    def chosen_additional_cpv(self) -> list[CpvCode]:
        return self.chosen("additional_cpv")


def main_cpv_field() -> forms.CharField:
    return forms.CharField(
        label=_("Main CPV code"),
        max_length=40,
        help_text=_(
            "The code that describes the assignment best, like 45442100 for painting work. "
            "Search by name or code."
        ),
        widget=cpv_widget(),
    )


def additional_cpv_field() -> forms.CharField:
    return forms.CharField(
        label=_("Other CPV codes"),
        required=False,
        max_length=2000,
        help_text=_("Codes for other parts of the work, separated by commas."),
        widget=cpv_widget(),
    )


# The firm a user acts for ------------------------------------------------------------------------


class OnBehalfOfForm(forms.Form):
    """A form a firm's member sends for one of their firms: the choice of firm is hidden when
    they act for only one."""

    firm = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Firm.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, firms: list[Firm], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["firm"].queryset = Firm.objects.filter(pk__in=[f.pk for f in firms])
        self.only_firm = firms[0] if len(firms) == 1 else None
        if self.only_firm is not None:
            self.fields["firm"].widget = forms.HiddenInput()
            self.fields["firm"].initial = self.only_firm.pk
            self.fields["firm"].required = False

    def clean_firm(self) -> Firm:
        return self.cleaned_data.get("firm") or self.only_firm
