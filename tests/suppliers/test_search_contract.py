"""One contract for every supplier index backend (DESIGN §4.1 and §5).

The database leg always runs (SQLite FTS5 or PostgreSQL, whichever DATABASE_URL selects); the
Elasticsearch leg runs whenever ELASTICSEARCH_URL is set.
"""

from __future__ import annotations

import pytest
from django.db import connection

from marketplace.geo import distance_km
from marketplace.models import CpvCode, Municipality
from suppliers.models import Certification, Firm, FirmIndexEntry
from suppliers.search import SearchQuery, Tier
from suppliers.search.database import DatabaseBackend
from suppliers.search.query import Context
from suppliers.search.text import words
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


def test_relevance_is_the_name_match_and_then_distance_decides(backend, world):
    # Two description-only matches in Dordrecht: the far one says "schilderwerk" three times in
    # a short text (a text score would put it first); the near one once in a long one.
    dordrecht = Municipality.objects.get(pk="GM0505")
    far = make_firm(
        "Aa Onderhoud",
        "GM0505",
        description="Schilderwerk, schilderwerk, schilderwerk.",
        latitude=dordrecht.latitude + 0.05,
        longitude=dordrecht.longitude,
    )
    close = make_firm(
        "Zz Onderhoud",
        "GM0505",
        description="Voegwerk, glaszetten, dakgoten, kozijnen en soms ook wat schilderwerk.",
        latitude=dordrecht.latitude + 0.01,
        longitude=dordrecht.longitude,
    )
    backend.index([far.pk, close.pk])

    result = backend.search(near("GM0505", text="schilderwerk"))

    local = [hit for hit in result.hits if hit.tier == Tier.LOCAL]
    order = [hit.name for hit in local]
    assert [name for name in order if name != "Schildersbedrijf Dordt"] == [
        "Van Dijk Onderhoud",  # at the municipality's location
        "Zz Onderhoud",  # about 1 km away
        "Aa Onderhoud",  # about 6 km away
    ]
    assert [hit.distance_km for hit in local] == sorted(hit.distance_km for hit in local)
    assert not any(hit.name_match for hit in local)


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


def test_every_hit_names_the_activities_the_query_matched(backend, world):
    # The page marks these: a firm's own codes in a CPV filter's subtree, or whose Dutch label
    # holds every query word, the last one perhaps only begun.
    klus = make_firm("Klus en Verf", "GM0505", cpv=["45442100", "45210000", "79400000"])
    backend.index([klus.pk])

    def matched(**query) -> dict[str, tuple[str, ...]]:
        found = backend.search(near("GM0505", activities=True, **query))
        return {hit.name: hit.matched_cpv for hit in found.hits}

    by_text = matched(text="schilderw")  # "Schilderwerk" is the label of 45442100
    assert by_text["Klus en Verf"] == ("45442100",)
    assert by_text["Schilder Zwijndrecht"] == ("45442100",)
    assert by_text["Van Dijk Onderhoud"] == ()  # found by its description, not its activity
    assert matched(text="bouwen gebouwen")["Klus en Verf"] == ("45210000",)
    # Found, for the words are in its text, but no one label holds both.
    assert matched(text="bouwen schilderwerk") == {"Klus en Verf": ()}

    by_cpv = matched(cpv=("45400000",))
    assert by_cpv["Klus en Verf"] == ("45442100",)
    assert by_cpv["Van Dijk Onderhoud"] == ("45453000",)
    assert matched(cpv=("45442100-8", "79000000"))["Klus en Verf"] == ("45442100", "79400000")
    # Text and filter together: what either matched, in code order.
    assert matched(text="gebouwen", cpv=("45400000",)) == {"Klus en Verf": ("45210000", "45442100")}
    assert set(matched().values()) == {()}  # nothing asked, nothing matched
    # A search that shows no activities (the API) does not ask, and so reads none.
    plain = backend.search(near("GM0505", text="schilderw"))
    assert plain.hits and {hit.matched_cpv for hit in plain.hits} == {()}


def test_the_radius_decides_what_counts_as_nearby(backend, world):
    small = backend.search(near("GM0505", text="rotterdamse", radius_km=10))
    large = backend.search(near("GM0505", text="rotterdamse", radius_km=40))

    assert [hit.tier for hit in small.hits] == [Tier.ELSEWHERE]
    assert [hit.tier for hit in large.hits] == [Tier.NEARBY]


@pytest.mark.parametrize("radius_km", [25.0, 10.0, 40.0, 400.0])
def test_tier_counts_agree_with_the_tiers_of_the_hits_at_any_radius(backend, world, radius_km):
    # 25 km is counted from index words, 10 and 40 km through grid cells, 400 km without them.
    query = near("GM0505", text="schilder", radius_km=radius_km, limit=100, facets=True)
    result = backend.search(query)

    tiers = [hit.tier for hit in result.hits]
    assert result.count == len(tiers)
    assert {t: n for t, n in result.tier_counts.items() if n} == {
        t: tiers.count(t) for t in set(tiers)
    }
    assert tiers == sorted(tiers)


def test_every_filter_combines_with_the_tiers(backend, world):
    query = near("GM0505", cpv=("45442100",), sizes=("micro",), limit=100, facets=True)
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
    result = backend.search(near("GM0505", text="schilder", limit=1, facets=True))

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
    after = backend.search(near("GM0505", text="schilder", limit=100, facets=True))

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


def reference_ranking(firms, code: str, context: Municipality | None, radius_km: float):
    """What a search for one CPV code must return, computed from the firms themselves."""
    found = []
    for firm in firms:
        if not firm.published or not any(
            c.code.startswith(code.rstrip("0")) for c in firm.cpv_codes.all()
        ):
            continue
        if context is None:
            found.append((None, 0.0, firm.organisation.name, firm.kvk_number))
            continue
        where = Context(
            context.code, context.region_id, context.latitude, context.longitude, radius_km
        )
        distance = distance_km(context.latitude, context.longitude, firm.latitude, firm.longitude)
        tier = where.tier_of(firm.municipality_id, firm.municipality.region_id, distance)
        found.append((tier, distance, firm.organisation.name, firm.kvk_number))
    return sorted(found, key=lambda row: (row[0] or 0, row[1], row[2], row[3]))


@pytest.mark.parametrize("code", ["45442100", "45000000", "45400000", "55520000"])
@pytest.mark.parametrize("place", ["GM0505", "GM0599", "GM0014", None])
@pytest.mark.parametrize("radius_km", [25.0, 10.0, 400.0])
def test_one_cpv_code_ranks_and_counts_every_tier_like_the_firms_say(
    backend, world, code, place, radius_km
):
    # A search for one CPV code alone is answered from the CPV entries (database backend); its
    # tiers, counts, order and pages must be exactly those of the firms themselves.
    context = Municipality.objects.get(pk=place) if place else None
    firms = Firm.objects.select_related("organisation", "municipality").prefetch_related(
        "cpv_codes"
    )
    expected = reference_ranking(firms, code, context, radius_km)

    query = SearchQuery(cpv=(code,), near=context, radius_km=radius_km, limit=100, facets=True)
    result = backend.search(query)

    assert [(hit.tier, hit.name) for hit in result.hits] == [(row[0], row[2]) for row in expected]
    assert result.count == len(expected)
    if context is not None:
        assert {t: n for t, n in result.tier_counts.items() if n} == {
            t: n for t in Tier if (n := sum(row[0] == t for row in expected))
        }
        for hit, row in zip(result.hits, expected, strict=True):
            assert hit.distance_km == pytest.approx(row[1], abs=0.01)
    pages = [
        backend.search(
            SearchQuery(cpv=(code,), near=context, radius_km=radius_km, limit=2, offset=o)
        )
        for o in range(0, max(len(expected), 1), 2)
    ]
    assert [hit.name for page in pages for hit in page.hits] == [row[2] for row in expected]


def test_tier_counts_are_facets_and_the_count_never_needs_them(backend, world):
    plain = backend.search(near("GM0505", text="schilder", limit=1))
    with_facets = backend.search(near("GM0505", text="schilder", limit=1, facets=True))

    assert plain.tier_counts == {}
    assert plain.count == with_facets.count == 5
    assert names(plain) == names(with_facets) == ["Schildersbedrijf Dordt"]


@pytest.mark.parametrize("query", [{"text": "schilder"}, {"cpv": ("45442100",)}, {}])
def test_a_page_past_the_end_is_empty(backend, world, query):
    counted = backend.search(near("GM0505", **query))
    past = backend.search(near("GM0505", offset=counted.count + 3, **query))

    assert counted.hits
    assert past.hits == []
    assert past.count == counted.count
