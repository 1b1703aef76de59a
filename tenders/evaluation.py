"""The ranking of a tender's quotes (DESIGN §4.7): pure arithmetic, no database.

Lowest price: the lowest total price (excl. VAT) ranks first; on equal prices the quote received
first. Best price-quality: every criterion gives points out of its weight — the price criterion
``weight × lowest price ÷ this price``, every other criterion ``weight × score ÷ 10`` with the
buyer's score from 0 to 10. Each criterion's points are rounded to 2 decimals and added up; the
highest total ranks first, then the lower price, then the quote received first. Excluded quotes
take no part. While a quality score is missing there is no ranking, and no award.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
MAX_SCORE = Decimal(10)

LOWEST_PRICE_FORMULA = _(
    "Lowest price: the quote with the lowest total price (excl. VAT) ranks first. On equal "
    "prices, the quote received first ranks first."
)
PRICE_QUALITY_INTRO = _("Best price-quality ratio. Points per criterion:")
PRICE_PART = _("%(name)s (%(weight)s%%): %(weight)s × lowest price ÷ this price")
SCORE_PART = _("%(name)s (%(weight)s%%): %(weight)s × score ÷ 10 (score from 0 to 10)")
PRICE_QUALITY_TOTAL = _(
    "Each criterion's points are rounded to 2 decimals and added up. The highest total ranks "
    "first; on equal totals the lower price, then the quote received first."
)


@dataclass(frozen=True)
class Criterion:
    """A weighted award criterion; the price criterion is scored from the prices."""

    id: int
    name: str
    weight: int
    is_price: bool


@dataclass(frozen=True)
class Bid:
    """A current quote as the ranking needs it, its price already unsealed."""

    quote_id: int
    firm_id: int
    firm_name: str
    price: Decimal
    received_at: datetime
    lots: Mapping[int, Decimal] = field(default_factory=dict)
    excluded_reason: str = ""


@dataclass
class Row:
    """One ranked quote: its price, points per criterion (by criterion id), total and rank."""

    bid: Bid
    parts: dict[int, Decimal] = field(default_factory=dict)
    points: Decimal | None = None
    rank: int | None = None

    @property
    def firm_name(self) -> str:
        return self.bid.firm_name

    @property
    def price(self) -> Decimal:
        return self.bid.price


@dataclass(frozen=True)
class Missing:
    """A quality score the buyer has not given yet."""

    bid: Bid
    criterion: Criterion


@dataclass
class Ranking:
    rows: list[Row]
    excluded: list[Bid]
    missing: list[Missing]
    criteria: list[Criterion]
    formula: str
    price_quality: bool

    @property
    def is_complete(self) -> bool:
        """True when every quote has every score and at least one quote takes part."""
        return bool(self.rows) and not self.missing

    @property
    def first(self) -> Row | None:
        return self.rows[0] if self.is_complete else None


def formula_text(criteria: Sequence[Criterion], *, price_quality: bool) -> str:
    """How the points and the ranking are computed, in the active language."""
    if not price_quality:
        return gettext(LOWEST_PRICE_FORMULA)
    lines = [gettext(PRICE_QUALITY_INTRO)]
    for criterion in criteria:
        template = PRICE_PART if criterion.is_price else SCORE_PART
        lines.append(
            "– " + gettext(template) % {"name": criterion.name, "weight": criterion.weight}
        )
    lines.append(gettext(PRICE_QUALITY_TOTAL))
    return "\n".join(lines)


def rank(
    *,
    bids: Sequence[Bid],
    criteria: Sequence[Criterion] = (),
    scores: Mapping[tuple[int, int], Decimal] | None = None,
    price_quality: bool = False,
) -> Ranking:
    """Rank the bids; ``scores`` maps (quote id, criterion id) to the buyer's 0–10 score."""
    scores = scores or {}
    criteria = list(criteria) if price_quality else []
    taking_part = [bid for bid in bids if not bid.excluded_reason]
    excluded = [bid for bid in bids if bid.excluded_reason]
    rows = [Row(bid) for bid in taking_part]
    missing: list[Missing] = []
    formula = formula_text(criteria, price_quality=price_quality)
    if not price_quality:
        rows.sort(key=lambda row: (row.price, row.bid.received_at, row.bid.quote_id))
    else:
        lowest = min((bid.price for bid in taking_part), default=None)
        for row in rows:
            for criterion in criteria:
                if criterion.is_price:
                    row.parts[criterion.id] = price_points(criterion.weight, lowest, row.price)
                elif (score := scores.get((row.bid.quote_id, criterion.id))) is not None:
                    row.parts[criterion.id] = score_points(criterion.weight, score)
                else:
                    missing.append(Missing(row.bid, criterion))
        if missing:
            rows.sort(key=lambda row: (row.price, row.bid.received_at, row.bid.quote_id))
            return Ranking(rows, excluded, missing, criteria, formula, price_quality)
        for row in rows:
            row.points = sum(row.parts.values(), Decimal("0.00"))
        rows.sort(key=lambda row: (-row.points, row.price, row.bid.received_at, row.bid.quote_id))
    for position, row in enumerate(rows, start=1):
        row.rank = position
    return Ranking(rows, excluded, missing, criteria, formula, price_quality)


def price_points(weight: int, lowest: Decimal | None, price: Decimal) -> Decimal:
    """``weight × lowest ÷ price``, 2 decimals; a price of zero is the lowest and gets it all."""
    if lowest is None or price <= 0:
        return Decimal(weight).quantize(CENT)
    return (Decimal(weight) * lowest / price).quantize(CENT, rounding=ROUND_HALF_UP)


def score_points(weight: int, score: Decimal) -> Decimal:
    """``weight × score ÷ 10``, 2 decimals."""
    return (Decimal(weight) * Decimal(score) / MAX_SCORE).quantize(CENT, rounding=ROUND_HALF_UP)
