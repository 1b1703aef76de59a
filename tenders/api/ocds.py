"""Placeholder until this module is built (issue 4)."""

from ninja import Router

router = Router(tags=["ocds"])
