"""Contracts and spend lines as the monitor reads them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from marketplace.models import Municipality
from suppliers.models import Firm
from tenders.models import Award, Contract, SpendLine, Status
from tests.factories import UserFactory
from tests.tenders.factories_award import opened_tender, quote_for


def contract_for(
    buyer_org,
    firm: Firm,
    value: str,
    signed_on: date,
    *,
    status: str = Status.COMPLETED,
    main_cpv_id: str | None = None,
) -> Contract:
    """A signed contract of ``buyer_org`` with ``firm`` (the tender ends in ``status``)."""
    tender = opened_tender(buyer_org=buyer_org)
    quote = quote_for(tender, firm, value)
    by = UserFactory()
    award = Award.objects.create(
        tender=tender,
        quote=quote,
        firm=firm,
        value=Decimal(value),
        motivation="Laagste prijs.",
        decided_by=by,
    )
    tender.status = status
    tender.main_cpv_id = main_cpv_id
    tender.save(update_fields=["status", "main_cpv"])
    return Contract.objects.create(
        tender=tender,
        award=award,
        firm=firm,
        value=Decimal(value),
        start_date=signed_on,
        signed_on=signed_on,
        recorded_by=by,
    )


def spend_line(
    municipality: Municipality,
    amount: str,
    booked_on: date,
    *,
    supplier: Municipality | None = None,
    name: str = "Leverancier",
    kvk: str = "",
    firm: Firm | None = None,
    key: str | None = None,
) -> SpendLine:
    """An imported spend line; ``supplier`` places it (None: unplaced, "Onbekend")."""
    if firm is not None:
        supplier, kvk, name = firm.municipality, firm.kvk_number, firm.name
    return SpendLine.objects.create(
        municipality=municipality,
        line_key=key or f"test:{SpendLine.objects.count()}",
        booked_on=booked_on,
        year=booked_on.year,
        amount=Decimal(amount),
        supplier_name=name,
        supplier_kvk=kvk,
        supplier_key=f"kvk:{kvk}" if kvk else f"name:{name.lower()}",
        firm=firm,
        supplier_municipality=supplier,
        latitude=firm.latitude if firm else (supplier.latitude if supplier else None),
        longitude=firm.longitude if firm else (supplier.longitude if supplier else None),
    )
