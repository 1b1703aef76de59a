"""The monitor's charts as plain shapes for a server-rendered SVG (no JavaScript, nothing from
another host): stacked bars per year by tier, and the local share by value and by count."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from marketplace import formats
from suppliers.search.base import Tier
from tenders.monitor.selectors.figures import TIERS, YearRow, tier_label

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 96, 16, 16, 40
# The tier badges' colours of the supplier search, dark enough against white (WCAG 1.4.11).
COLOURS = {
    Tier.LOCAL: "#1f6f3a",
    Tier.REGION: "#154273",
    Tier.NEARBY: "#a36f00",
    Tier.ELSEWHERE: "#6b6b6b",
    None: "#b3261e",
}
VALUE_COLOUR, COUNT_COLOUR = "#1f6f3a", "#154273"


@dataclass(frozen=True)
class Shape:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str


def _plot_height() -> int:
    return HEIGHT - TOP - BOTTOM


def _slot(index: int, count: int) -> tuple[float, float]:
    """The x of a year's slot and its width."""
    width = (WIDTH - LEFT - RIGHT) / max(count, 1)
    return LEFT + index * width, width


def stacked_bars(trend: list[YearRow]) -> dict:
    """Per year a bar of the value by tier (a tier's negative sum, credit notes, is not drawn)."""
    top = max((sum(max(c.value, Decimal(0)) for c in r.cells.values()) for r in trend), default=0)
    top = top or Decimal(1)
    bars, axis = [], []
    for index, row in enumerate(trend):
        x, slot = _slot(index, len(trend))
        width = min(slot * 0.6, 64)
        x += (slot - width) / 2
        y = float(TOP + _plot_height())
        for tier in (*TIERS, None):
            value = max(row.cells[tier].value, Decimal(0))
            height = float(value / top) * _plot_height()
            if height <= 0:
                continue
            y -= height
            label = f"{row.year} · {tier_label(tier)}: {formats.euro(row.cells[tier].value)}"
            bars.append(
                Shape(
                    round(x, 1),
                    round(y, 1),
                    round(width, 1),
                    round(height, 1),
                    COLOURS[tier],
                    label,
                )
            )
        axis.append({"x": round(x + width / 2, 1), "label": row.year})
    ticks = [
        {
            "y": round(TOP + _plot_height() * (1 - part), 1),
            "label": formats.euro(top * Decimal(part), cents=False),
        }
        for part in (0, 0.5, 1)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "axis": axis,
        "ticks": ticks,
        "baseline": TOP + _plot_height(),
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "legend": [{"label": tier_label(t), "colour": COLOURS[t]} for t in (*TIERS, None)],
    }


def share_lines(trend: list[YearRow]) -> dict:
    """The local share by value and by count, per year, as two lines from 0 to 100%."""
    series = []
    for name, colour, attribute in (
        ("value", VALUE_COLOUR, "local_share_of_value"),
        ("count", COUNT_COLOUR, "local_share_of_count"),
    ):
        points = []
        for index, row in enumerate(trend):
            part = getattr(row, attribute)
            if part is None:
                continue
            x, slot = _slot(index, len(trend))
            points.append(
                {
                    "x": round(x + slot / 2, 1),
                    "y": round(TOP + _plot_height() * (1 - max(0.0, min(part, 1.0))), 1),
                    "label": f"{row.year}: {formats.points(Decimal(part * 100), 1)}%",
                }
            )
        series.append(
            {
                "name": name,
                "colour": colour,
                "points": points,
                "path": " ".join(f"{p['x']},{p['y']}" for p in points),
            }
        )
    axis = []
    for index, row in enumerate(trend):
        x, slot = _slot(index, len(trend))
        axis.append({"x": round(x + slot / 2, 1), "label": row.year})
    ticks = [
        {"y": round(TOP + _plot_height() * (1 - part / 100), 1), "label": f"{part}%"}
        for part in (0, 50, 100)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "series": series,
        "axis": axis,
        "ticks": ticks,
        "baseline": TOP + _plot_height(),
        "left": LEFT,
        "right": WIDTH - RIGHT,
    }
