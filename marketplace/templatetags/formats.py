"""Template filters for the display formats of marketplace.formats: ``{% load formats %}``, then
``{{ amount|euro }}`` (``|euro:"cents"`` always with cents), ``{{ low|euro_range:high }}``,
``{{ points|points }}``, ``{{ moment|moment }}``, ``{{ moment|day }}``, ``{{ deadline|deadline }}``
(the time left), ``<time datetime="{{ moment|datetime_attr }}">`` and ``{{ size|filesize }}``."""

from __future__ import annotations

from datetime import date, datetime

from django import template

from marketplace import formats

register = template.Library()


@register.filter
def euro(amount: formats.Amount | None, option: str = "") -> str:
    """ "€ 1.234,56"; with "cents" always with cents ("€ 1.234,00")."""
    return formats.euro(amount, cents=True if option == "cents" else None)


@register.filter
def euro_range(low: formats.Amount | None, high: formats.Amount | None = None) -> str:
    """ "€ 40.000" or "€ 40.000 – € 60.000"."""
    return formats.euro_range(low, high)


@register.filter
def points(value: formats.Amount | None) -> str:
    """ "79,60"."""
    return formats.points(value)


@register.filter
def moment(value: datetime | date | None) -> str:
    """ "3 januari 2027 om 14:30"."""
    return formats.moment(value)


@register.filter
def day(value: datetime | date | None) -> str:
    """ "3 januari 2027"."""
    return formats.day(value)


@register.filter
def deadline(value: datetime | None) -> str:
    """ "5 days left" (in the page's language)."""
    return formats.deadline(value)


@register.filter
def datetime_attr(value: datetime | date | None) -> str:
    """ "2027-01-03T14:30:00+01:00", for ``<time datetime>``."""
    return formats.datetime_attr(value)


@register.filter
def filesize(size: int | None) -> str:
    """ "1,5 MB"."""
    return formats.filesize(size)
