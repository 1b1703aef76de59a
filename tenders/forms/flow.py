"""The step-by-step tender flow of the buyer's pages (what, where and value, procedure, dates
and award criteria). Forms clean what people type; the rules themselves live in tenders.policy
and tenders.services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.forms import QuickSelect
from marketplace.models import Municipality, Organisation
from tenders.forms.fields import (
    CpvFieldsMixin,
    DeadlineField,
    EuroField,
    additional_cpv_field,
    cpv_text,
    main_cpv_field,
)
from tenders.models import (
    LOT_TITLE_REQUIRED,
    QUESTION_DEADLINE_NOT_BEFORE_QUOTE_DEADLINE,
    VALUE_MAX_BELOW_MIN,
    AwardCriteriaType,
    ContractType,
    LotData,
    Procedure,
    Tender,
)
from tenders.policy import (
    JUSTIFICATION_REQUIRED,
    QUESTION_DEADLINE_PASSED,
    QUOTE_DEADLINE_PASSED,
    Proposal,
    award_criteria_check,
    procedure_check,
)
from tenders.services.tenders import CRITERION_NAME_REQUIRED, CRITERION_NAMES_MUST_DIFFER

CRITERION_WEIGHT_REQUIRED = _("Give this criterion a weight from 1 to 100.")


# Step 1: what --------------------------------------------------------------------------------


class TenderWhatForm(CpvFieldsMixin, forms.Form):
    """What the buyer wants done."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("Short and concrete, like “Painting the town hall windows”."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20000,
        help_text=_("What needs doing, where and when. Plain text; Markdown is allowed."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    contract_type = forms.ChoiceField(
        label=_("Kind of assignment"),
        choices=ContractType.choices,
        widget=forms.RadioSelect,
        help_text=_("The law and your policy set different limits for each kind."),
    )
    main_cpv = main_cpv_field()
    additional_cpv = additional_cpv_field()

    def __init__(self, *args: Any, organisations: list[Organisation] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if organisations and len(organisations) > 1:
            self.fields["buyer"] = forms.ModelChoiceField(
                label=_("For which organisation"),
                queryset=Organisation.objects.filter(pk__in=[o.pk for o in organisations]),
                empty_label=None,
            )
            self.order_fields(["buyer"])

    def fields_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"].strip(),
            "description": data["description"].strip(),
            "contract_type": data["contract_type"],
            "main_cpv": data["main_cpv"],
            "additional_cpv": data["additional_cpv"],
        }

    @staticmethod
    def initial_for(tender: Tender) -> dict[str, Any]:
        return {
            "title": tender.title,
            "description": tender.description,
            "contract_type": tender.contract_type,
            "main_cpv": tender.main_cpv.full_code if tender.main_cpv else "",
            "additional_cpv": cpv_text(list(tender.additional_cpv.order_by("code"))),
        }


class LotForm(forms.Form):
    """One lot; a row left empty is no lot."""

    title = forms.CharField(label=_("Lot title"), required=False, max_length=200)
    description = forms.CharField(
        label=_("Lot description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    estimated_value = EuroField(label=_("Lot value (excl. VAT)"), required=False)
    suitable_for_local_smes = forms.BooleanField(label=_("Suitable for local SMEs"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        filled = data.get("description") or data.get("estimated_value") is not None
        if (filled or data.get("suitable_for_local_smes")) and not data.get("title", "").strip():
            if "title" not in self.errors:
                self.add_error("title", forms.ValidationError(LOT_TITLE_REQUIRED))
        return data


class BaseLotFormSet(BaseFormSet):
    def lots(self) -> list[LotData]:
        """The filled-in rows, in order."""
        return [
            LotData(
                title=form.cleaned_data["title"].strip(),
                description=form.cleaned_data["description"].strip(),
                estimated_value=form.cleaned_data["estimated_value"],
                suitable_for_local_smes=form.cleaned_data["suitable_for_local_smes"],
            )
            for form in self.forms
            if form.cleaned_data.get("title", "").strip()
        ]

    @staticmethod
    def initial_for(tender: Tender) -> list[dict[str, Any]]:
        return [
            {
                "title": lot.title,
                "description": lot.description,
                "estimated_value": lot.estimated_value,
                "suitable_for_local_smes": lot.suitable_for_local_smes,
            }
            for lot in tender.lots.all()
        ]


LotFormSet = formset_factory(
    LotForm, formset=BaseLotFormSet, extra=2, max_num=50, validate_max=True
)


# Step 2: where and value ---------------------------------------------------------------------


class TenderWhereForm(forms.Form):
    """Where the work is done and what it is worth."""

    place_of_performance = forms.ModelChoiceField(
        label=_("Place of performance"),
        queryset=Municipality.objects.order_by("name"),
        help_text=_("The municipality where the work is done or delivered."),
        widget=QuickSelect,
    )
    estimated_value_min = EuroField(
        label=_("Estimated value (excl. VAT)"),
        help_text=_("In euros excluding VAT, like 45.000. For a range: the lower end."),
    )
    estimated_value_max = EuroField(
        label=_("Up to (excl. VAT)"),
        required=False,
        help_text=_("Only for a range. The top of the range decides the procedure."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("estimated_value_min"), data.get("estimated_value_max")
        if low is not None and high is not None and high < low:
            self.add_error("estimated_value_max", forms.ValidationError(VALUE_MAX_BELOW_MIN))
        return data

    def fields_for_service(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    @staticmethod
    def initial_for(tender: Tender) -> dict[str, Any]:
        return {
            "place_of_performance": tender.place_of_performance_id or tender.buyer.municipality_id,
            "estimated_value_min": tender.estimated_value_min,
            "estimated_value_max": tender.estimated_value_max,
        }


# Step 3: procedure ---------------------------------------------------------------------------


class TenderProcedureForm(forms.Form):
    """The procedure: the law refuses a lighter one, the policy asks for a reason."""

    procedure = forms.ChoiceField(
        label=_("Procedure"), choices=Procedure.choices, widget=forms.RadioSelect
    )
    procedure_justification = forms.CharField(
        label=_("Why this procedure"),
        required=False,
        max_length=5000,
        help_text=_("Needed when you choose a lighter procedure than your policy asks for."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    tenderned_reference = forms.CharField(
        label=_("TenderNed reference"),
        required=False,
        max_length=40,
        help_text=_(
            "Open procedures are also announced on TenderNed. Enter its publication number "
            "before you publish."
        ),
    )

    def __init__(self, *args: Any, proposal: Proposal | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposal = proposal

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        procedure = data.get("procedure")
        if procedure and self.proposal is not None:
            check = procedure_check(chosen=procedure, proposal=self.proposal)
            for message in check.errors:
                self.add_error("procedure", forms.ValidationError(message, code="law"))
            if check.warnings and not data.get("procedure_justification", "").strip():
                self.add_error(
                    "procedure_justification",
                    forms.ValidationError(JUSTIFICATION_REQUIRED, code="policy"),
                )
        return data

    def fields_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "procedure": data["procedure"],
            "procedure_justification": data["procedure_justification"].strip(),
            "tenderned_reference": data["tenderned_reference"].strip(),
        }

    @staticmethod
    def initial_for(tender: Tender, proposal: Proposal | None) -> dict[str, Any]:
        procedure = tender.procedure or (proposal.procedure if proposal else "")
        return {
            "procedure": procedure,
            "procedure_justification": tender.procedure_justification,
            "tenderned_reference": tender.tenderned_reference,
        }


# Step 4: dates, award criteria, contact ------------------------------------------------------


def _deadline_errors(
    form: forms.Form, question_deadline: datetime | None, quote_deadline: datetime | None
) -> None:
    now = timezone.now()
    if quote_deadline is not None and quote_deadline <= now:
        form.add_error("quote_deadline", forms.ValidationError(QUOTE_DEADLINE_PASSED))
    if question_deadline is not None and question_deadline <= now:
        form.add_error("question_deadline", forms.ValidationError(QUESTION_DEADLINE_PASSED))
    elif question_deadline and quote_deadline and question_deadline >= quote_deadline:
        form.add_error(
            "question_deadline",
            forms.ValidationError(QUESTION_DEADLINE_NOT_BEFORE_QUOTE_DEADLINE),
        )


class TenderDatesForm(forms.Form):
    """Deadlines, how quotes are judged, and whom firms can contact."""

    question_deadline = DeadlineField(
        label=_("Deadline for questions"),
        help_text=_("Date and time, like 12-03-2027 12:00. Before the deadline for quotes."),
    )
    quote_deadline = DeadlineField(
        label=_("Deadline for quotes"),
        help_text=_("Date and time, like 26-03-2027 12:00. Quotes arrive sealed until then."),
    )
    award_criteria_type = forms.ChoiceField(
        label=_("How quotes are judged"),
        choices=AwardCriteriaType.choices,
        widget=forms.RadioSelect,
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    contact_email = forms.EmailField(
        label=_("Contact e-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _deadline_errors(self, data.get("question_deadline"), data.get("quote_deadline"))
        return data

    def fields_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "question_deadline": data["question_deadline"],
            "quote_deadline": data["quote_deadline"],
            "award_criteria_type": data["award_criteria_type"],
            "contact_name": data["contact_name"].strip(),
            "contact_email": data["contact_email"],
        }

    @staticmethod
    def initial_for(tender: Tender) -> dict[str, Any]:
        return {
            "question_deadline": tender.question_deadline,
            "quote_deadline": tender.quote_deadline,
            "award_criteria_type": tender.award_criteria_type,
            "contact_name": tender.contact_name,
            "contact_email": tender.contact_email,
        }


class CriterionForm(forms.Form):
    """One named, weighted criterion of a price-quality award."""

    name = forms.CharField(label=_("Criterion"), required=False, max_length=200)
    weight = forms.IntegerField(
        label=_("Weight"),
        required=False,
        min_value=1,
        max_value=100,
        widget=forms.NumberInput(attrs={"class": "input--short"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        name, weight = data.get("name", "").strip(), data.get("weight")
        if name and weight is None and "weight" not in self.errors:
            self.add_error("weight", forms.ValidationError(CRITERION_WEIGHT_REQUIRED))
        if weight is not None and not name:
            self.add_error("name", forms.ValidationError(CRITERION_NAME_REQUIRED))
        return data


class BaseCriterionFormSet(BaseFormSet):
    def __init__(self, *args: Any, criteria_type: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria_type = criteria_type

    def criteria(self) -> list[tuple[str, int]]:
        """The filled-in (name, weight) pairs, in order."""
        return [
            (form.cleaned_data["name"].strip(), form.cleaned_data["weight"])
            for form in self.forms
            if form.cleaned_data.get("name", "").strip()
            and form.cleaned_data.get("weight") is not None
        ]

    def clean(self) -> None:
        if any(self.errors):
            return
        criteria = self.criteria()
        names = [name.casefold() for name, _weight in criteria]
        if len(set(names)) != len(names):
            raise forms.ValidationError(CRITERION_NAMES_MUST_DIFFER)
        if self.criteria_type in AwardCriteriaType.values:
            problems = award_criteria_check(
                criteria_type=self.criteria_type, weights=[weight for _name, weight in criteria]
            )
            if problems:
                raise forms.ValidationError(problems)

    def weight_total(self) -> int:
        total = 0
        for form in self.forms:
            weight = form["weight"].value()
            if str(weight or "").isdigit():
                total += int(weight)
        return total

    @staticmethod
    def initial_for(tender: Tender) -> list[dict[str, Any]]:
        return [{"name": c.name, "weight": c.weight} for c in tender.award_criteria.all()]


CriterionFormSet = formset_factory(
    CriterionForm, formset=BaseCriterionFormSet, extra=3, max_num=20, validate_max=True
)
