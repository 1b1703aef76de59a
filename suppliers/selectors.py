"""Reads over the supplier index."""

from __future__ import annotations

from suppliers.models import Firm


def published_firm_count() -> int:
    """How many firms anyone can find."""
    return Firm.objects.published().count()
