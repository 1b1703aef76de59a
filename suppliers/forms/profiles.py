"""Forms for firm profiles: registration, the profile itself, and inviting colleagues."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.geo import normalise_postcode
from marketplace.models import CpvCode, Municipality, Postcode, Role, SbiCode
from suppliers.forms import NOT_CPV, parse_cpv, split_codes
from suppliers.models import Certification, Firm, Size, establishment_validator, kvk_validator
from suppliers.services import FIRM_ALREADY_REGISTERED, UNKNOWN_CPV, UNKNOWN_SBI, FirmData

PHONE = re.compile(r"^\+?[\d\s()-]{6,30}$")

BAD_POSTCODE = _("Enter a Dutch postcode: four digits and two letters, like 3311 AB.")
NEEDS_MUNICIPALITY = _(
    "We do not know postcode area %(area)s. Choose the municipality your firm is established in."
)
NOT_SBI = _("Not an SBI code: %(codes)s. Type the digits, like 43340.")
BAD_PHONE = _("Enter a phone number, like 078 123 45 67.")


def sbi_field(version: str) -> forms.CharField:
    return forms.CharField(
        label=_("SBI %(version)s codes") % {"version": version},
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class FirmForm(forms.Form):
    """What a firm says about itself; its KvK number is fixed once registered."""

    name = forms.CharField(
        label=_("Firm name"),
        max_length=200,
        help_text=_("The name buyers know you by."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    establishment_number = forms.CharField(
        label=_("Establishment number (vestigingsnummer)"),
        required=False,
        max_length=20,
        help_text=_("12 digits. Only needed when your firm has more than one establishment."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    description = forms.CharField(
        label=_("What your firm does"),
        required=False,
        max_length=5000,
        help_text=_("A few sentences for buyers: your work, your experience, your area."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    street = forms.CharField(
        label=_("Street"),
        max_length=120,
    )
    house_number = forms.CharField(
        label=_("House number"),
        max_length=20,
        widget=forms.TextInput(attrs={"class": "input--short"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        help_text=_("Like 3311 AB."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "class": "input--short"}),
    )
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=80,
        help_text=_("Leave empty to use the place of your postcode."),
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        empty_label=_("The municipality of my postcode"),
        help_text=_(
            "Only needed when we do not know your postcode, or when your establishment lies in "
            "another municipality than most of its postcode area."
        ),
    )
    cpv_codes = forms.CharField(
        label=_("Activities (CPV codes)"),
        required=False,
        max_length=2000,
        help_text=_(
            "The CPV codes of the work you do, separated by commas or spaces, like 45442100 "
            "for painting work. The check digit (45442100-8) is optional."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "data-cpv-picker": ""}
        ),
    )
    sbi_2025 = sbi_field(SbiCode.Version.SBI_2025)
    sbi_2008 = sbi_field(SbiCode.Version.SBI_2008)
    employees = forms.IntegerField(
        label=_("Number of employees"),
        required=False,
        min_value=0,
        max_value=1_000_000,
        widget=forms.NumberInput(attrs={"class": "input--short"}),
    )
    certifications = forms.ModelMultipleChoiceField(
        label=_("Certifications"),
        queryset=Certification.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        max_length=200,
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    email = forms.EmailField(
        label=_("E-mail address for buyers"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    open_to_partnerships = forms.BooleanField(
        label=_("Open to partnerships: other firms may ask us to team up for a tender"),
        required=False,
    )
    published = forms.BooleanField(
        label=_("Show our profile in the supplier index"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employees"].help_text = _("We show your size class: %(sizes)s.") % {
            "sizes": ", ".join(str(label).lower() for label in Size.labels)
        }

    def clean_establishment_number(self) -> str:
        value = re.sub(r"[\s.]", "", self.cleaned_data["establishment_number"])
        if value:
            establishment_validator(value)
        return value

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"]
        normalised = normalise_postcode(value)
        if normalised is None or " " not in normalised:
            raise forms.ValidationError(BAD_POSTCODE, code="postcode")
        return normalised

    def clean_cpv_codes(self) -> list[str]:
        known, malformed, unknown = parse_cpv(self.cleaned_data["cpv_codes"])
        errors = []
        if malformed:
            errors.append(forms.ValidationError(NOT_CPV, params={"codes": ", ".join(malformed)}))
        if unknown:
            errors.append(forms.ValidationError(UNKNOWN_CPV, params={"codes": ", ".join(unknown)}))
        if errors:
            raise forms.ValidationError(errors)
        return [cpv.code for cpv in known]

    def _clean_sbi(self, field: str, version: str) -> list[tuple[str, str]]:
        tokens = [token.replace(".", "") for token in split_codes(self.cleaned_data[field])]
        malformed = [token for token in tokens if not token.isdigit()]
        if malformed:
            raise forms.ValidationError(NOT_SBI, params={"codes": ", ".join(malformed)})
        found = set(
            SbiCode.objects.filter(version=version, code__in=tokens).values_list("code", flat=True)
        )
        unknown = [token for token in tokens if token not in found]
        if unknown:
            raise forms.ValidationError(UNKNOWN_SBI, params={"codes": ", ".join(unknown)})
        return [(version, token) for token in dict.fromkeys(tokens)]

    def clean_sbi_2025(self) -> list[tuple[str, str]]:
        return self._clean_sbi("sbi_2025", SbiCode.Version.SBI_2025)

    def clean_sbi_2008(self) -> list[tuple[str, str]]:
        return self._clean_sbi("sbi_2008", SbiCode.Version.SBI_2008)

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if value and (not PHONE.match(value) or sum(c.isdigit() for c in value) < 6):
            raise forms.ValidationError(BAD_PHONE, code="phone")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        postcode = cleaned.get("postcode")
        if postcode and cleaned.get("municipality") is None and "municipality" not in self.errors:
            if not Postcode.objects.filter(pk=postcode[:4]).exists():
                self.add_error(
                    "municipality",
                    forms.ValidationError(NEEDS_MUNICIPALITY, params={"area": postcode[:4]}),
                )
        return cleaned

    def firm_data(self, kvk_number: str) -> FirmData:
        """The cleaned form as the input of the firm services."""
        data = self.cleaned_data
        return FirmData(
            kvk_number=kvk_number,
            name=data["name"].strip(),
            description=data["description"].strip(),
            street=data["street"].strip(),
            house_number=data["house_number"].strip(),
            postcode=data["postcode"],
            place=data["place"].strip(),
            municipality=data["municipality"],
            cpv_codes=data["cpv_codes"],
            sbi_codes=[*data["sbi_2025"], *data["sbi_2008"]],
            certifications=[c.pk for c in data["certifications"]],
            establishment_number=data["establishment_number"],
            employees=data["employees"],
            website=data["website"],
            email=data["email"],
            phone=data["phone"],
            open_to_partnerships=data["open_to_partnerships"],
            published=data["published"],
        )

    def chosen_activities(self) -> list[CpvCode]:
        """The known CPV codes in the field as it stands, to show their labels next to it."""
        field = self["cpv_codes"]
        value = field.data if self.is_bound else field.initial
        known, _malformed, _unknown = parse_cpv(value or "")
        return known

    @staticmethod
    def initial_for(firm: Firm) -> dict[str, Any]:
        """The form's starting values for an existing firm."""
        area = firm.postcode_area
        # Leave the municipality to the postcode unless the firm chose another one.
        follows_postcode = area is not None and area.municipality_id == firm.municipality_id
        sbi: dict[str, list[str]] = {version: [] for version in SbiCode.Version.values}
        for code in firm.sbi_codes.all():
            sbi[code.version].append(code.code)
        return {
            "name": firm.name,
            "establishment_number": firm.establishment_number,
            "description": firm.description,
            "street": firm.street,
            "house_number": firm.house_number,
            "postcode": firm.postcode,
            "place": firm.place,
            "municipality": None if follows_postcode else firm.municipality,
            "cpv_codes": ", ".join(cpv.full_code for cpv in firm.cpv_codes.all()),
            "sbi_2025": ", ".join(sbi[SbiCode.Version.SBI_2025]),
            "sbi_2008": ", ".join(sbi[SbiCode.Version.SBI_2008]),
            "employees": firm.employees,
            "certifications": list(firm.certifications.all()),
            "website": firm.website,
            "email": firm.email,
            "phone": firm.phone,
            "open_to_partnerships": firm.open_to_partnerships,
            "published": firm.published,
        }


class FirmRegisterForm(FirmForm):
    """A new firm: the profile plus its KvK number, which must not be on Dichtbij yet."""

    kvk_number = forms.CharField(
        label=_("KvK number"),
        max_length=20,
        help_text=_("8 digits, as on your extract from the Chamber of Commerce (KvK)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    field_order = ["kvk_number", "name", "establishment_number"]

    def clean_kvk_number(self) -> str:
        value = re.sub(r"[\s.]", "", self.cleaned_data["kvk_number"])
        kvk_validator(value)
        if Firm.objects.filter(kvk_number=value).exists():
            raise forms.ValidationError(FIRM_ALREADY_REGISTERED, code="kvk_taken")
        return value


class FirmInvitationForm(forms.Form):
    """Whom to invite, and with which role."""

    email = forms.EmailField(
        label=_("Their e-mail address"),
        help_text=_("We send the invitation to this address. It works for 14 days."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (Role.FIRM_MEMBER, _("Colleague: can edit the profile")),
            (Role.FIRM_ADMIN, _("Administrator: can also invite colleagues")),
        ],
        initial=Role.FIRM_MEMBER,
        widget=forms.RadioSelect,
    )
