"""The building blocks of OCDS fields: the OCID, values, dates and leaving out what is empty."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from tenders.models import Tender
from tenders.ocds.codes import CURRENCY


def ocid(tender: Tender) -> str:
    """The Open Contracting ID: the configured prefix and the tender's reference."""
    return f"{settings.OCDS_OCID_PREFIX}-{tender.reference}"


def organisation_id(pk: int) -> str:
    """A party's id: the same for a buyer or a firm in every release."""
    return f"dichtbij-organisation-{pk}"


def value(amount: Decimal | None) -> dict[str, Any] | None:
    """An OCDS Value: a JSON number (never a string) in euros."""
    if amount is None:
        return None
    number = int(amount) if amount == amount.to_integral_value() else float(amount)
    return {"amount": number, "currency": CURRENCY}


def iso(moment: datetime | None) -> str | None:
    """RFC 3339 in UTC to the second, e.g. "2027-03-12T13:00:00Z"."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def iso_date(day: date | None) -> str | None:
    """A calendar date as the start of that day in Dutch time, in RFC 3339."""
    if day is None:
        return None
    return iso(datetime.combine(day, time(0), tzinfo=ZoneInfo(settings.TIME_ZONE)))


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """Without empty fields: OCDS asks to omit what is unknown rather than send nulls."""
    result = {}
    for key, item in data.items():
        if isinstance(item, dict):
            item = compact(item)
        if item is None or item in ("", [], {}):
            continue
        result[key] = item
    return result
