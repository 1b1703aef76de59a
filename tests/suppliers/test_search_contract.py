"""One contract for every supplier index backend (DESIGN §4.1 and §5).

The database leg always runs (SQLite FTS5 or PostgreSQL, whichever DATABASE_URL selects); the
Elasticsearch leg runs whenever ELASTICSEARCH_URL is set.
"""

from __future__ import annotations

import pytest
from django.db import connection

from marketplace.models import CpvCode, Municipality
from suppliers.models import Certification, FirmIndexEntry
from suppliers.search import SearchQuery, Tier
from suppliers.search.base import words
from suppliers.search.database import DatabaseBackend
from tests.factories import FirmFactory


def make_firm(name, code, *, description="", cpv=(), employees=None, published=True, **extra):
    municipality = Municipality.objects.get(pk=code)
    firm = FirmFactory(
        organisation__name=name,
        description=description,
        municipality=municipality,
        place=municipality.name,
        employees=employees,
        published=published,
        **extra,
    )
    firm.cpv_codes.set(CpvCode.objects.filter(pk__in=cpv))
    return firm


@pytest.fixture
def world(backend):
    """Painters around Dordrecht and further away, and a few others."""
    firms = {
        "dordt": make_firm(
            "Schildersbedrijf Dordt",
            "GM0505",
            cpv=["45442100"],
            employees=4,
            description="Binnen- en buitenschilderwerk.",
        ),
        "dordt_desc": make_firm(
            "Van Dijk Onderhoud",
            "GM0505",
            cpv=["45453000"],
            employees=30,
            description="Onderhoud en schilderwerk aan woningen.",
        ),
        "dordt_bouw": make_firm(
            "Bouwbedrijf Merwede",
            "GM0505",
            cpv=["45210000"],
            employees=120,
            description="Nieuwbouw en renovatie.",
        ),
        "zwijndrecht": make_firm(
            "Schilder Zwijndrecht",
            "GM0642",
            cpv=["45442100"],
            employees=2,
            open_to_partnerships=True,
        ),
        "rotterdam": make_firm(
            "Rotterdamse Schilders",
            "GM0599",
            cpv=["45442100"],
            employees=60,
            description="Schilderwerk voor kantoren.",
        ),
        "groningen": make_firm(
            "Schilderbedrijf Noord",
            "GM0014",
            cpv=["45442100"],
            employees=300,
        ),
        "cafe": make_firm("Café Één", "GM0505", description="Lunch en catering."),
        "hidden": make_firm("Schilder Verborgen", "GM0505", cpv=["45442100"], published=False),
    }
    firms["dordt"].certifications.set([Certification.objects.get(pk="vca")])
    backend.index([firm.pk for firm in firms.values()])
    return firms


def near(code, **kwargs) -> SearchQuery:
    return SearchQuery(near=Municipality.objects.get(pk=code), **kwargs)


def names(result) -> list[str]:
    return [hit.name for hit in result.hits]


def test_local_firms_come_first_then_the_region_then_nearby_then_the_rest(backend, world):
    result = backend.search(near("GM0505", text="schilder"))

    tiers = [hit.tier for hit in result.hits]
    assert tiers == sorted(tiers)
    assert [hit.tier for hit in result.hits] == [
        Tier.LOCAL,
        Tier.LOCAL,
        Tier.REGION,
        Tier.NEARBY,
        Tier.ELSEWHERE,
    ]
    assert names(result)[2:] == [
        "Schilder Zwijndrecht",
        "Rotterdamse Schilders",
        "Schilderbedrijf Noord",
    ]
    assert [hit.tier_label for hit in result.hits][:1] == ["Lokaal"]


def test_a_match_in_the_name_outranks_a_match_only_in_the_description(backend, world):
    result = backend.search(near("GM0505", text="schilder"))

    assert names(result)[:2] == ["Schildersbedrijf Dordt", "Van Dijk Onderhoud"]
    assert [hit.name_match for hit in result.hits[:2]] == [True, False]


def test_every_word_must_match_and_only_the_last_may_be_a_prefix(backend, world):
    assert names(backend.search(SearchQuery(text="schilderwerk kant"))) == ["Rotterdamse Schilders"]
    assert names(backend.search(SearchQuery(text="schild kantoren"))) == []
    assert len(backend.search(SearchQuery(text="schild")).hits) == 5


def test_text_matching_ignores_case_and_accents(backend, world):
    assert names(backend.search(SearchQuery(text="CAFE een"))) == ["Café Één"]
    assert names(backend.search(SearchQuery(text="café"))) == ["Café Één"]


def test_the_place_and_activity_labels_are_searchable(backend, world):
    assert "Schilder Zwijndrecht" in names(backend.search(SearchQuery(text="zwijndrecht")))
    # "Nieuwbouwwerkzaamheden" is not in the text; the CPV label "Bouwen van gebouwen" is.
    assert names(backend.search(SearchQuery(text="gebouwen"))) == ["Bouwbedrijf Merwede"]


def test_a_cpv_filter_matches_the_whole_subtree(backend, world):
    group = backend.search(near("GM0505", cpv=("45400000",)))
    exact = backend.search(near("GM0505", cpv=("45442100-7",)))
    other = backend.search(near("GM0505", cpv=("45100000",)))

    assert set(names(group)) == {
        "Schildersbedrijf Dordt",
        "Van Dijk Onderhoud",
        "Schilder Zwijndrecht",
        "Rotterdamse Schilders",
        "Schilderbedrijf Noord",
    }
    assert set(names(exact)) == set(names(group)) - {"Van Dijk Onderhoud"}
    assert names(other) == []


def test_without_text_each_tier_is_ordered_by_distance_then_name(backend, world):
    result = backend.search(near("GM0505"))

    local = [hit for hit in result.hits if hit.tier == Tier.LOCAL]
    assert len(local) == 4
    distances = [hit.distance_km for hit in result.hits]
    for tier in Tier:
        in_tier = [h.distance_km for h in result.hits if h.tier == tier]
        assert in_tier == sorted(in_tier)
    assert all(d is not None and d >= 0 for d in distances)
    # Firms at the same spot (the municipality's location) are ordered by name.
    same_spot = [h.name for h in local]
    assert same_spot == sorted(same_spot, key=str.lower)


def test_every_result_says_why_it_is_where_it_is(backend, world):
    result = backend.search(near("GM0505", text="schilder"))

    by_name = {hit.name: hit for hit in result.hits}
    assert by_name["Schilder Zwijndrecht"].tier_label == "Regio"
    assert by_name["Schilder Zwijndrecht"].region_name == "Drechtsteden"
    rotterdam = by_name["Rotterdamse Schilders"]
    assert (rotterdam.tier, rotterdam.municipality_name) == (Tier.NEARBY, "Rotterdam")
    assert 18 < rotterdam.distance_km < 25
    assert by_name["Schilderbedrijf Noord"].distance_km > 150


def test_the_radius_decides_what_counts_as_nearby(backend, world):
    small = backend.search(near("GM0505", text="rotterdamse", radius_km=10))
    large = backend.search(near("GM0505", text="rotterdamse", radius_km=40))

    assert [hit.tier for hit in small.hits] == [Tier.ELSEWHERE]
    assert [hit.tier for hit in large.hits] == [Tier.NEARBY]


@pytest.mark.parametrize("radius_km", [25.0, 10.0, 40.0, 400.0])
def test_tier_counts_agree_with_the_tiers_of_the_hits_at_any_radius(backend, world, radius_km):
    # 25 km is counted from index words, 10 and 40 km through grid cells, 400 km without them.
    query = near("GM0505", text="schilder", radius_km=radius_km, limit=100)
    result = backend.search(query)

    tiers = [hit.tier for hit in result.hits]
    assert result.count == len(tiers)
    assert {t: n for t, n in result.tier_counts.items() if n} == {
        t: tiers.count(t) for t in set(tiers)
    }
    assert tiers == sorted(tiers)


def test_every_filter_combines_with_the_tiers(backend, world):
    query = near("GM0505", cpv=("45442100",), sizes=("micro",), limit=100)
    result = backend.search(query)

    assert result.count == len(result.hits)
    assert sum(result.tier_counts.values()) == result.count


def test_without_a_context_municipality_there_is_no_tier_or_distance(backend, world):
    result = backend.search(SearchQuery(text="schilder"))

    assert {hit.tier for hit in result.hits} == {None}
    assert {hit.distance_km for hit in result.hits} == {None}
    assert result.tier_counts == {}
    assert not result.hits[-1].name_match  # the description-only match comes last


def test_unpublished_firms_are_never_found(backend, world):
    for query in [SearchQuery(text="verborgen"), near("GM0505"), SearchQuery(cpv=("45000000",))]:
        assert "Schilder Verborgen" not in names(backend.search(query))


def test_pages_are_windows_on_one_ranking(backend, world):
    everything = backend.search(near("GM0505", limit=100))
    pages = [backend.search(near("GM0505", limit=3, offset=offset)) for offset in (0, 3, 6)]

    assert everything.count == 7
    assert {page.count for page in pages} == {7}
    assert [name for page in pages for name in names(page)] == names(everything)


def test_tier_counts_add_up_to_the_count(backend, world):
    result = backend.search(near("GM0505", text="schilder", limit=1))

    assert result.tier_counts == {Tier.LOCAL: 2, Tier.REGION: 1, Tier.NEARBY: 1, Tier.ELSEWHERE: 1}
    assert sum(result.tier_counts.values()) == result.count == 5
    assert len(result.hits) == 1


def test_size_certification_and_partnership_filters(backend, world):
    assert set(names(backend.search(SearchQuery(sizes=("micro",))))) == {
        "Schildersbedrijf Dordt",
        "Schilder Zwijndrecht",
    }
    assert set(names(backend.search(SearchQuery(sizes=("medium", "large"))))) == {
        "Bouwbedrijf Merwede",
        "Rotterdamse Schilders",
        "Schilderbedrijf Noord",
    }
    assert names(backend.search(SearchQuery(certifications=("vca",)))) == ["Schildersbedrijf Dordt"]
    assert names(backend.search(SearchQuery(open_to_partnerships=True))) == ["Schilder Zwijndrecht"]


def test_facets_count_divisions_and_sizes_over_all_matches(backend, world):
    result = backend.search(near("GM0505", text="schilder", limit=1, facets=True))

    assert result.facets["division"] == {"45000000": 5}
    assert result.facets["size"] == {"micro": 2, "small": 1, "medium": 1, "large": 1}


def test_reindexing_a_firm_shows_its_changes_and_forgets_deleted_firms(backend, world):
    firm = world["groningen"]
    firm.organisation.name = "Kwast en Co"
    firm.organisation.save()
    gone = world["rotterdam"]
    gone_id = gone.pk
    gone.organisation.delete()

    backend.index([firm.pk, gone_id])

    assert names(backend.search(SearchQuery(text="kwast"))) == ["Kwast en Co"]
    assert "Rotterdamse Schilders" not in names(backend.search(SearchQuery(text="schilder")))


@pytest.mark.parametrize("backend", ["database"], indirect=True)
def test_a_deleted_firm_is_not_counted_even_before_reindexing(backend, world):
    before = backend.search(near("GM0505", text="schilder", limit=100))

    world["rotterdam"].organisation.delete()  # the index entry goes with it, by cascade
    after = backend.search(near("GM0505", text="schilder", limit=100))

    assert after.count == len(after.hits) == before.count - 1
    assert sum(after.tier_counts.values()) == after.count


def test_rebuild_repairs_an_index_that_drifted(backend, world):
    firm = world["cafe"]
    firm.organisation.name = "Lunchroom De Linde"
    firm.organisation.save()  # changed without telling the index

    assert backend.rebuild() == 8
    assert names(backend.search(SearchQuery(text="linde"))) == ["Lunchroom De Linde"]


def test_query_words_are_folded_like_the_indexed_text():
    assert words("Schilders-bedrijf ÉÉN, café!") == ["schilders", "bedrijf", "een", "cafe"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's stored tsvector")
def test_postgresql_keeps_a_tsvector_per_firm(reference_data):
    firm = make_firm("Schildersbedrijf Dordt", "GM0505")
    DatabaseBackend().index([firm.pk])

    assert "schildersbedrijf" in FirmIndexEntry.objects.get(firm=firm).vector
