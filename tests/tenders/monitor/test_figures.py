"""The monitor's figures (issue 14 point 1), computed from real contracts and spend lines."""

from __future__ import annotations

from datetime import date

import pytest

from marketplace.models import Municipality
from suppliers.search.base import Tier
from tenders.models import Status
from tenders.monitor.selectors import local_share, monitor_figures
from tests.tenders.monitor.factories import contract_for, spend_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_2025(buyer_org, dordrecht, local_firm, regional_firm, nearby_firm, distant_firm):
    """Dordrecht's 2025: a contract per tier on the platform, two imported lines (one unplaced)."""
    contract_for(buyer_org, local_firm, "1000.00", date(2025, 3, 1), main_cpv_id="45000000")
    contract_for(buyer_org, regional_firm, "3000.00", date(2025, 4, 1), main_cpv_id="45000000")
    contract_for(buyer_org, nearby_firm, "2000.00", date(2025, 5, 1), main_cpv_id="50000000")
    contract_for(buyer_org, distant_firm, "4000.00", date(2025, 6, 1))
    spend_line(dordrecht, "500.00", date(2025, 7, 1), firm=local_firm)
    spend_line(dordrecht, "-100.00", date(2025, 7, 2), name="Onvindbaar BV")


def test_value_and_count_by_tier_with_unknown_apart(mixed_2025, dordrecht):
    figures = monitor_figures(municipality=dordrecht, year=2025)

    assert [(row.label, row.value, row.count) for row in figures.tiers] == [
        ("Lokaal", 1500, 2),
        ("Regio", 3000, 1),
        ("Dichtbij", 2000, 1),
        ("Elders", 4000, 1),
    ]
    assert (figures.unknown.value, figures.unknown.count) == (-100, 1)
    assert (figures.total.value, figures.total.count) == (10400, 6)
    local = figures.tiers[0]
    assert local.share_of_value == round(1500 / 10400, 4)
    assert local.share_of_count == round(2 / 6, 4)
    assert [s["name"] for s in figures.unplaced] == ["Onvindbaar BV"]


def test_sources_are_kept_apart(mixed_2025, dordrecht):
    figures = monitor_figures(municipality=dordrecht, year=2025)

    assert figures.sources["platform"].value == 10000
    assert figures.sources["platform"].count == 4
    assert figures.sources["imported"].value == 400
    assert figures.sources["imported"].count == 2
    local = figures.tiers[0]
    assert local.by_source["platform"].value == 1000
    assert local.by_source["imported"].value == 500


def test_a_contract_counts_in_the_year_it_was_signed(buyer_org, dordrecht, local_firm):
    contract_for(buyer_org, local_firm, "100.00", date(2024, 12, 31))
    contract_for(buyer_org, local_firm, "200.00", date(2025, 1, 1))

    assert monitor_figures(municipality=dordrecht, year=2024).total.value == 100
    assert monitor_figures(municipality=dordrecht, year=2025).total.value == 200
    figures = monitor_figures(municipality=dordrecht)
    assert figures.years == [2024, 2025]
    assert figures.year == 2025
    assert [(row.year, row.total.value) for row in figures.trend] == [(2024, 100), (2025, 200)]


def test_a_cancelled_contract_does_not_count(buyer_org, dordrecht, local_firm):
    contract_for(buyer_org, local_firm, "100.00", date(2025, 2, 1))
    contract_for(buyer_org, local_firm, "900.00", date(2025, 3, 1), status=Status.CANCELLED)

    figures = monitor_figures(municipality=dordrecht, year=2025)

    assert (figures.total.value, figures.total.count) == (100, 1)


def test_sme_share_counts_only_known_sizes(mixed_2025, dordrecht):
    figures = monitor_figures(municipality=dordrecht, year=2025)

    # Known: local 10 people (1000 + 500), distant 40 (4000), regional 300 (3000).
    assert figures.sme["value"] == 5500
    assert figures.sme["known_value"] == 8500
    assert figures.sme["share"] == round(5500 / 8500, 4)


def test_a_supplier_on_both_sources_is_one_local_supplier(mixed_2025, dordrecht):
    figures = monitor_figures(municipality=dordrecht, year=2025)

    assert figures.local_suppliers == 1
    top = figures.top_suppliers[0]
    assert (top["name"], top["value"], top["count"]) == ("Advies Groningen", 4000, 1)
    assert figures.top_share == 1.0  # six suppliers, all within the top ten


def test_by_cpv_division(mixed_2025, dordrecht):
    figures = monitor_figures(municipality=dordrecht, year=2025)

    by_division = {d["division"]: (d["value"], d["count"]) for d in figures.divisions}
    assert by_division == {"45": (4000, 2), "50": (2000, 1), "": (4400, 3)}
    works = figures.divisions[0]
    assert works["label"].startswith("Bouwwerkzaamheden")
    assert works["local_share_of_value"] == 0.25


def test_region_sums_its_municipalities_relative_to_each_buyer(
    buyer_org, other_buyer_org, dordrecht, zwijndrecht, local_firm, regional_firm
):
    contract_for(buyer_org, local_firm, "100.00", date(2025, 2, 1))
    # Zwijndrecht buys from a Zwijndrecht firm: local for Zwijndrecht.
    contract_for(other_buyer_org, regional_firm, "300.00", date(2025, 2, 1))

    region = monitor_figures(municipality=dordrecht, year=2025, region=True)
    alone = monitor_figures(municipality=dordrecht, year=2025)

    assert region.scope_name.startswith("Drechtsteden")
    assert len(region.buyers) == 7
    assert (region.tiers[0].value, region.tiers[0].count) == (400, 2)
    assert alone.total.value == 100


def test_tiers_follow_the_supplier_index_rule(buyer_org, dordrecht, nearby_firm):
    contract_for(buyer_org, nearby_firm, "100.00", date(2025, 2, 1))
    # Ridderkerk lies within the default 25 km but outside the Drechtsteden.
    ridderkerk = Municipality.objects.get(pk="GM0597")
    assert ridderkerk.region_id != dordrecht.region_id

    figures = monitor_figures(municipality=dordrecht, year=2025)

    assert figures.tiers[Tier.NEARBY].count == 1


def test_local_share_for_the_cms_has_its_source_and_date(mixed_2025):
    result = local_share(municipality_code="GM0505", year=2025)

    assert result["value"] == round(1500 / 10400, 4)
    assert "monitor" in result["source"]
    assert result["as_of"] is not None
    assert result["url"] == "/monitor/GM0505/?year=2025"
    assert local_share(municipality_code="GM0505", year=2025, by="count")["value"] == 0.3333


def test_local_share_is_none_without_data(reference_data):
    assert local_share(municipality_code="GM0505", year=2025) is None
    assert local_share(municipality_code="GM9999", year=2025) is None
