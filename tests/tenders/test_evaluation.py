"""The ranking (DESIGN §4.7): pure arithmetic on prices, scores and weights."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import translation

from tenders.evaluation import (
    LOWEST_PRICE_FORMULA,
    Bid,
    Criterion,
    price_points,
    rank,
)

T0 = datetime(2027, 3, 12, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
PRICE = Criterion(1, "Prijs", 40, True)
QUALITY = Criterion(2, "Kwaliteit", 60, False)


def bid(quote_id: int, name: str, price: str, minutes: int = 0, excluded: str = "") -> Bid:
    return Bid(
        quote_id=quote_id,
        firm_id=100 + quote_id,
        firm_name=name,
        price=Decimal(price),
        received_at=T0 + timedelta(minutes=minutes),
        excluded_reason=excluded,
    )


def test_lowest_price_ranks_by_price_and_then_by_time_of_receipt():
    bids = [
        bid(1, "Duur", "52000"),
        bid(2, "Laat", "41000", minutes=30),
        bid(3, "Vroeg", "41000", minutes=5),
    ]

    ranking = rank(bids=bids)

    assert [(r.rank, r.firm_name) for r in ranking.rows] == [(1, "Vroeg"), (2, "Laat"), (3, "Duur")]
    assert all(r.points is None for r in ranking.rows)
    assert ranking.is_complete
    assert ranking.first.firm_name == "Vroeg"
    with translation.override("en"):
        assert rank(bids=bids).formula == str(LOWEST_PRICE_FORMULA)


def test_price_quality_worked_example():
    # Prijs 40%: 40 × lowest price ÷ this price; Kwaliteit 60%: 60 × score ÷ 10.
    #   A € 100.000, score 6: 40 × 80.000/100.000 = 32,00 + 36,00 = 68,00
    #   B €  80.000, score 5: 40 × 80.000/80.000  = 40,00 + 30,00 = 70,00
    #   C € 125.000, score 9: 40 × 80.000/125.000 = 25,60 + 54,00 = 79,60
    bids = [bid(1, "A", "100000"), bid(2, "B", "80000"), bid(3, "C", "125000")]
    scores = {(1, 2): Decimal("6"), (2, 2): Decimal("5"), (3, 2): Decimal("9")}

    ranking = rank(bids=bids, criteria=[PRICE, QUALITY], scores=scores, price_quality=True)

    assert [(r.rank, r.firm_name, r.points) for r in ranking.rows] == [
        (1, "C", Decimal("79.60")),
        (2, "B", Decimal("70.00")),
        (3, "A", Decimal("68.00")),
    ]
    c = ranking.rows[0]
    assert c.parts == {1: Decimal("25.60"), 2: Decimal("54.00")}
    with translation.override("en"):
        formula = rank(
            bids=bids, criteria=[PRICE, QUALITY], scores=scores, price_quality=True
        ).formula
    assert "Prijs (40%): 40 × lowest price ÷ this price" in formula
    assert "Kwaliteit (60%): 60 × score ÷ 10" in formula


def test_points_are_rounded_to_two_decimals_per_criterion():
    assert price_points(40, Decimal("80000"), Decimal("90000")) == Decimal("35.56")
    ranking = rank(
        bids=[bid(1, "A", "80000"), bid(2, "B", "90000")],
        criteria=[PRICE, QUALITY],
        scores={(1, 2): Decimal("7.5"), (2, 2): Decimal("7.25")},
        price_quality=True,
    )
    assert [r.points for r in ranking.rows] == [Decimal("85.00"), Decimal("79.06")]


def test_equal_points_go_to_the_lower_price_then_the_earlier_quote():
    price = Criterion(1, "Prijs", 50, True)
    quality = Criterion(2, "Kwaliteit", 50, False)
    # X: 50 + 25 = 75; Y: 25 + 50 = 75; Z like X but later.
    bids = [bid(1, "Y", "200"), bid(2, "Z", "100", minutes=9), bid(3, "X", "100", minutes=1)]
    scores = {(1, 2): Decimal("10"), (2, 2): Decimal("5"), (3, 2): Decimal("5")}

    ranking = rank(bids=bids, criteria=[price, quality], scores=scores, price_quality=True)

    assert {r.points for r in ranking.rows} == {Decimal("75.00")}
    assert [r.firm_name for r in ranking.rows] == ["X", "Z", "Y"]


def test_missing_scores_are_named_and_leave_no_ranking():
    bids = [bid(1, "A", "100"), bid(2, "B", "120")]

    ranking = rank(
        bids=bids, criteria=[PRICE, QUALITY], scores={(1, 2): Decimal(8)}, price_quality=True
    )

    assert not ranking.is_complete
    assert ranking.first is None
    assert [(m.bid.firm_name, m.criterion.name) for m in ranking.missing] == [("B", "Kwaliteit")]
    assert all(r.rank is None and r.points is None for r in ranking.rows)


def test_an_excluded_quote_takes_no_part_even_in_the_lowest_price():
    bids = [bid(1, "Goedkoop", "10", excluded="Geen VCA-certificaat"), bid(2, "A", "80")]
    bids.append(bid(3, "B", "100"))

    ranking = rank(
        bids=bids,
        criteria=[PRICE, QUALITY],
        scores={(2, 2): Decimal(5), (3, 2): Decimal(5)},
        price_quality=True,
    )

    assert [r.firm_name for r in ranking.rows] == ["A", "B"]
    assert [b.firm_name for b in ranking.excluded] == ["Goedkoop"]
    # The lowest valid price (80) sets the price points, not the excluded one.
    assert ranking.rows[0].parts[1] == Decimal("40.00")
    assert ranking.rows[1].parts[1] == Decimal("32.00")


def test_no_valid_quote_means_no_ranking():
    ranking = rank(bids=[bid(1, "A", "10", excluded="Te laat")])

    assert ranking.rows == []
    assert not ranking.is_complete
