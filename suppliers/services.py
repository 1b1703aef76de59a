"""Rules that change firm profiles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from marketplace.geo import normalise_postcode, resolve_location
from marketplace.models import CpvCode, Municipality, Organisation, User
from marketplace.services import audit_record, organisation_create
from suppliers.models import Firm

UNKNOWN_LOCATION = _("Neither the postcode nor the municipality is known.")
UNKNOWN_CPV = _("Unknown CPV code: %(codes)s.")


@dataclass
class FirmData:
    """What a firm says about itself; the input of ``firm_upsert``."""

    kvk_number: str
    name: str
    description: str = ""
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    place: str = ""
    municipality: Municipality | None = None
    cpv_codes: Sequence[str] = ()
    employees: int | None = None
    website: str = ""
    email: str = ""
    phone: str = ""
    open_to_partnerships: bool = False


@transaction.atomic
def firm_upsert(*, data: FirmData, by: User | None = None) -> tuple[Firm, bool]:
    """Create the firm with this KvK number, or update it; returns (firm, created)."""
    location = resolve_location(data.postcode, data.municipality)
    if location is None:
        raise ValidationError(UNKNOWN_LOCATION)
    codes = list(dict.fromkeys(code.split("-")[0].strip() for code in data.cpv_codes))
    cpv = list(CpvCode.objects.filter(pk__in=codes))
    missing = sorted(set(codes) - {c.pk for c in cpv})
    if missing:
        raise ValidationError(UNKNOWN_CPV, params={"codes": ", ".join(missing)})

    firm = Firm.objects.select_related("organisation").filter(kvk_number=data.kvk_number).first()
    created = firm is None
    if created:
        organisation = organisation_create(name=data.name, kind=Organisation.Kind.FIRM, by=by)
        firm = Firm(organisation=organisation, kvk_number=data.kvk_number)
    elif firm.organisation.name != data.name:
        firm.organisation.name = data.name
        firm.organisation.save(update_fields=["name"])
    firm.description = data.description
    firm.street = data.street
    firm.house_number = data.house_number
    firm.postcode = normalise_postcode(data.postcode) or ""
    firm.place = data.place or (location.postcode_area.place if location.postcode_area else "")
    firm.postcode_area = location.postcode_area
    firm.municipality = location.municipality
    firm.latitude = location.latitude
    firm.longitude = location.longitude
    firm.employees = data.employees
    firm.website = data.website
    firm.email = data.email
    firm.phone = data.phone
    firm.open_to_partnerships = data.open_to_partnerships
    firm.full_clean(exclude=["organisation", "cpv_codes"])
    firm.save()
    firm.cpv_codes.set(cpv)
    audit_record(
        action="firm.created" if created else "firm.updated",
        actor=by,
        organisation=firm.organisation,
        obj=firm,
        details={"kvk_number": firm.kvk_number},
    )
    return firm, created
