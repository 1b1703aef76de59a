"""Does local-first search find what a buyer means? Judged queries (nDCG@10) and a property test.

Graded relevance, as the issue defines it: 3 a relevant firm in the context municipality, 2 in its
region, 1 relevant elsewhere, 0 not relevant. A firm is relevant when it does the work asked for
(judged by its activities, not by the words the search engine sees).
"""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketplace.models import Municipality
from suppliers.demo.firms import generated_firms
from suppliers.models import Firm
from suppliers.search import SearchQuery, Tier
from suppliers.services import firm_upsert

# (what the buyer types, CPV filter, context municipality, CPV prefixes of the relevant work)
JUDGED_QUERIES = [
    ("schilder", (), "GM0505", ("4544",)),
    ("schilderwerk", (), "GM0642", ("4544",)),
    ("install", (), "GM0590", ("4533",)),
    ("schoonmaak", (), "GM0610", ("9091",)),
    ("elektr", (), "GM0505", ("4531",)),
    ("groen", (), "GM0599", ("7731",)),
    ("dak", (), "GM0531", ("45261",)),
    ("", ("45233000",), "GM0505", ("45233",)),
    ("", ("72000000",), "GM0363", ("72",)),
    ("verhuiz", (), "GM0482", ("98392",)),
    ("beveiliging", (), "GM0523", ("7971",)),
    ("catering", (), "GM0505", ("5552",)),
]
WORLD_SIZE = 300


def build_world(backend) -> list[Firm]:
    for data in generated_firms(WORLD_SIZE, seed=11):
        firm_upsert(data=data)
    firms = list(
        Firm.objects.select_related("municipality").prefetch_related("cpv_codes").order_by("pk")
    )
    backend.index([firm.pk for firm in firms])
    return firms


def grade(firm: Firm, near: Municipality, relevant: tuple[str, ...]) -> int:
    if not any(code.code.startswith(relevant) for code in firm.cpv_codes.all()):
        return 0
    if firm.municipality_id == near.code:
        return 3
    if firm.municipality.region_id == near.region_id:
        return 2
    return 1


def dcg(grades: list[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def ndcg_at_10(ranked: list[int], all_grades: list[int]) -> float:
    ideal = dcg(sorted(all_grades, reverse=True)[:10])
    return dcg(ranked[:10]) / ideal if ideal else 1.0


def test_judged_queries_reach_an_ndcg_at_10_of_at_least_0_9(backend):
    firms = build_world(backend)
    by_id = {firm.pk: firm for firm in firms}
    scores = {}
    for text, cpv, code, relevant in JUDGED_QUERIES:
        near = Municipality.objects.get(pk=code)
        result = backend.search(SearchQuery(text=text, cpv=cpv, near=near, limit=10))
        ranked = [grade(by_id[hit.firm_id], near, relevant) for hit in result.hits]
        all_grades = [grade(firm, near, relevant) for firm in firms]
        assert sum(g > 0 for g in all_grades) >= 5, f"too few relevant firms for {text or cpv}"
        scores[text or cpv[0], code] = ndcg_at_10(ranked, all_grades)

    mean = sum(scores.values()) / len(scores)
    assert mean >= 0.9, scores
    assert min(scores.values()) >= 0.8, scores


WORDS = ["schilder", "schild", "bouw", "groen", "ict", "dak", "onderhoud", "van", "de", "zzz"]
PLACES = ["GM0505", "GM0642", "GM0599", "GM0363", "GM0014", "GM1680"]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=st.lists(st.sampled_from(WORDS), max_size=2).map(" ".join),
    place=st.sampled_from(PLACES),
    radius=st.integers(min_value=0, max_value=150),
    cpv=st.sampled_from([(), ("45000000",), ("45442100",), ("90000000",)]),
    offset=st.integers(min_value=0, max_value=40),
)
def test_the_tiers_of_any_result_list_never_decrease(backend, text, place, radius, cpv, offset):
    if not Firm.objects.exists():
        build_world(backend)
    near = Municipality.objects.get(pk=place)

    result = backend.search(
        SearchQuery(
            text=text, near=near, radius_km=radius, cpv=cpv, limit=25, offset=offset, facets=True
        )
    )

    tiers = [hit.tier for hit in result.hits]
    assert tiers == sorted(tiers)
    assert sum(result.tier_counts.values()) == result.count
    for hit in result.hits:
        if hit.tier == Tier.NEARBY:
            assert hit.distance_km <= radius + 0.01
