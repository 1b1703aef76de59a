"""The monitor's open data: the figures as a table (the CSV) and every line behind them (JSON
lines), so anyone can recompute each figure from the OCDS contracts and the imported lines."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext

from marketplace import formats
from tenders.monitor.selectors.figures import Figures, Placer, tier_label
from tenders.monitor.sources import SOURCES, ImportedSpend, PlatformContracts


def scope_query(figures: Figures) -> str:
    """The query string that asks for the same figures again."""
    query = f"year={figures.year}"
    return query + "&region=1" if figures.region else query


def _percent(value: float | None) -> str:
    return "" if value is None else formats.points(Decimal(str(value)) * 100, 1)


def figures_table(figures: Figures) -> tuple[list[str], Iterator[list[str]]]:
    """The CSV: a row per tier (Onbekend included), then the totals; Dutch numbers."""
    header = [
        gettext("Scope"),
        gettext("Year"),
        gettext("Tier"),
        gettext("Value (EUR excl. VAT)"),
        gettext("Count"),
        gettext("Share of value (%)"),
        gettext("Share of count (%)"),
        gettext("Of which on the platform (EUR)"),
        gettext("Of which imported (EUR)"),
    ]

    def rows() -> Iterator[list[str]]:
        for row in [*figures.tiers, figures.unknown]:
            yield [
                figures.scope_name,
                str(figures.year),
                row.label,
                formats.points(row.value),
                str(row.count),
                _percent(row.share_of_value),
                _percent(row.share_of_count),
                formats.points(row.by_source["platform"].value),
                formats.points(row.by_source["imported"].value),
            ]
        yield [
            figures.scope_name,
            str(figures.year),
            gettext("Total"),
            formats.points(figures.total.value),
            str(figures.total.count),
            _percent(1.0 if figures.total.value else None),
            _percent(1.0 if figures.total.count else None),
            formats.points(figures.sources["platform"].value),
            formats.points(figures.sources["imported"].value),
        ]

    return header, rows()


def figure_lines(figures: Figures) -> Iterator[dict[str, Any]]:
    """Every contract and spend line counted in the figures, with its supplier and tier."""
    placer = Placer()
    codes = [m.code for m in figures.buyers]
    for source in SOURCES:
        lines = source.lines(codes, figures.year).iterator(chunk_size=2000)
        if isinstance(source, PlatformContracts):
            for contract in lines:
                yield _contract_line(contract, placer)
        elif isinstance(source, ImportedSpend):
            for spend in lines:
                yield _spend_line(spend, placer)


def _contract_line(contract, placer: Placer) -> dict[str, Any]:
    firm = contract.firm
    buyer = contract.tender.buyer.municipality_id
    tier = placer.tier(buyer, firm.municipality_id, firm.latitude, firm.longitude)
    return {
        "kind": "contract",
        "source": "platform",
        "id": contract.pk,
        "tender": contract.tender.reference,
        "ocds": reverse("api:ocds_tender", args=[contract.tender_id]),
        "date": contract.signed_on.isoformat(),
        "buyer": buyer,
        "supplier": {
            "kvk_number": firm.kvk_number,
            "name": firm.name,
            "municipality": firm.municipality_id,
        },
        "tier": None if tier is None else int(tier),
        "tier_label": tier_label(tier),
        "amount": float(contract.value),
    }


def _spend_line(spend, placer: Placer) -> dict[str, Any]:
    tier = placer.tier(
        spend.municipality_id, spend.supplier_municipality_id, spend.latitude, spend.longitude
    )
    return {
        "kind": "spend_line",
        "source": "imported",
        "id": spend.pk,
        "invoice": spend.invoice,
        "date": spend.booked_on.isoformat(),
        "buyer": spend.municipality_id,
        "supplier": {
            "kvk_number": spend.supplier_kvk,
            "name": spend.supplier_name,
            "postcode": spend.supplier_postcode,
            "municipality": spend.supplier_municipality_id,
        },
        "tier": None if tier is None else int(tier),
        "tier_label": tier_label(tier),
        "amount": float(spend.amount),
        "description": spend.description,
    }
