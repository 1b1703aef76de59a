"""``{% load monitor %}``: a share as the monitor shows it ("12,3%")."""

from __future__ import annotations

from decimal import Decimal

from django import template

from marketplace import formats

register = template.Library()


@register.filter
def share(value: float | None) -> str:
    """0.1234 → "12,3%"; "–" when there is no share (nothing to divide by)."""
    if value is None:
        return "–"
    return f"{formats.points(Decimal(str(value)) * 100, 1)}%"
