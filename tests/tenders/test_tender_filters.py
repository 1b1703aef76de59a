"""The tender filters: each narrows the list as a visitor expects; bad input is an error."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.models import CpvCode
from tenders.filters import TenderFilter
from tenders.models import ContractType, Procedure, Status, Tender
from tests.tenders.factories import LotFactory

pytestmark = pytest.mark.django_db


def titles(data: dict, queryset=None) -> list[str]:
    filterset = TenderFilter(data, queryset=queryset or Tender.objects.all())
    assert filterset.is_valid(), filterset.errors
    return [t.title for t in filterset.qs]


def errors(data: dict) -> dict:
    filterset = TenderFilter(data, queryset=Tender.objects.all())
    assert not filterset.is_valid()
    return filterset.errors


def test_every_word_must_match_in_any_case(public):
    public(title="Schilderwerk basisschool", description="Buitenkozijnen")
    public(title="Schilderwerk gemeentehuis")
    public(title="Groenonderhoud", description="Ook wat SCHILDERWERK aan de school")

    assert sorted(titles({"q": "schilderwerk SCHOOL"})) == [
        "Groenonderhoud",
        "Schilderwerk basisschool",
    ]
    assert titles({"q": "kozijnen gemeentehuis"}) == []


def test_text_finds_the_reference(public):
    tender = public(title="Advies")
    public(title="Iets anders")

    assert titles({"q": tender.reference.lower()}) == ["Advies"]


def test_cpv_matches_the_subtree_of_main_and_additional_codes(public):
    public(title="Schilderen", main_cpv=CpvCode.objects.get(pk="45442100"))
    also_painting = public(title="Onderhoud", main_cpv=CpvCode.objects.get(pk="79400000"))
    also_painting.additional_cpv.add(CpvCode.objects.get(pk="45442110"))
    public(title="Advies", main_cpv=CpvCode.objects.get(pk="79400000"))

    assert sorted(titles({"cpv": "45400000"})) == ["Onderhoud", "Schilderen"]
    assert sorted(titles({"cpv": "45400000-1, 79400000"})) == ["Advies", "Onderhoud", "Schilderen"]


def test_unknown_cpv_code_is_a_field_error(public):
    assert "cpv" in errors({"cpv": "12345678"})
    assert "cpv" in errors({"cpv": "schilder"})


def test_municipality_and_region_narrow_by_place_of_performance(public, dordrecht, zwijndrecht):
    public(title="In Dordrecht", place_of_performance=dordrecht)
    public(title="In Zwijndrecht", place_of_performance=zwijndrecht)
    public(title="In Amsterdam", place_of_performance_id="GM0363")

    assert titles({"municipality": "GM0642"}) == ["In Zwijndrecht"]
    assert sorted(titles({"region": dordrecht.region_id})) == ["In Dordrecht", "In Zwijndrecht"]
    assert sorted(titles({"region": dordrecht.province_id})) == ["In Dordrecht", "In Zwijndrecht"]
    assert "municipality" in errors({"municipality": "GM9999"})
    assert "region" in errors({"region": "atlantis"})


def test_procedure_and_contract_type(public):
    public(title="Europees werk", procedure=Procedure.EUROPEAN, contract_type=ContractType.WORKS)
    public(title="Nationale dienst", contract_type=ContractType.SERVICES)
    public(title="Nationale levering", contract_type=ContractType.SUPPLIES)

    assert titles({"procedure": ["european"]}) == ["Europees werk"]
    assert sorted(titles({"contract_type": ["services", "supplies"]})) == [
        "Nationale dienst",
        "Nationale levering",
    ]
    assert "procedure" in errors({"procedure": ["auction"]})


def test_open_and_closed_follow_the_clock_not_the_stored_status(public):
    now = timezone.now()
    public(title="Open")
    public(
        title="Deadline voorbij",
        quote_deadline=now - timedelta(hours=1),
        question_deadline=now - timedelta(days=2),
    )
    public(
        title="Gegund",
        status=Status.AWARDED,
        quote_deadline=now - timedelta(days=30),
        question_deadline=now - timedelta(days=40),
    )

    assert titles({"status": "open"}) == ["Open"]
    assert sorted(titles({"status": "closed"})) == ["Deadline voorbij", "Gegund"]


def test_deadline_range_is_in_dates(public):
    now = timezone.now()
    public(title="Over een week", quote_deadline=now + timedelta(days=7))
    public(title="Over een maand", quote_deadline=now + timedelta(days=30))
    week = timezone.localdate(now + timedelta(days=7))

    assert titles({"deadline_from": week.isoformat(), "deadline_to": week.isoformat()}) == [
        "Over een week"
    ]
    assert titles({"deadline_from": (week + timedelta(days=1)).isoformat()}) == ["Over een maand"]


def test_value_range_overlaps_the_estimate(public):
    public(title="Klein", estimated_value_min=Decimal("10000"))
    public(
        title="Bandbreedte",
        estimated_value_min=Decimal("50000"),
        estimated_value_max=Decimal("150000"),
    )
    public(title="Groot", estimated_value_min=Decimal("500000"))
    public(title="Onbekend", estimated_value_min=None)

    assert sorted(titles({"value_min": "100000", "value_max": "200000"})) == ["Bandbreedte"]
    assert sorted(titles({"value_max": "60000"})) == ["Bandbreedte", "Klein"]
    assert sorted(titles({"value_min": "150000"})) == ["Bandbreedte", "Groot"]


def test_local_sme_lots(public):
    with_lot = public(title="Met mkb-perceel")
    LotFactory(tender=with_lot, suitable_for_local_smes=True)
    LotFactory(tender=with_lot, suitable_for_local_smes=True)
    LotFactory(tender=public(title="Zonder"), suitable_for_local_smes=False)

    assert titles({"local_smes": "on"}) == ["Met mkb-perceel"]
    assert len(titles({})) == 2


def test_bad_input_is_a_field_error_not_a_crash():
    assert "deadline_from" in errors({"deadline_from": "gisteren"})
    assert "deadline_to" in errors({"deadline_from": "2027-03-12", "deadline_to": "2027-03-01"})
    assert "value_min" in errors({"value_min": "-5"})
    assert "value_max" in errors({"value_min": "1000", "value_max": "10"})
    assert "value_min" in errors({"value_min": "veel"})
    assert "status" in errors({"status": "maybe"})
    assert "sort" in errors({"sort": "random"})


def test_deadline_sort_puts_open_tenders_first_soonest_on_top(public):
    now = timezone.now()
    public(title="Later", quote_deadline=now + timedelta(days=20))
    public(title="Binnenkort", quote_deadline=now + timedelta(days=3))
    public(
        title="Net dicht",
        quote_deadline=now - timedelta(days=1),
        question_deadline=now - timedelta(days=3),
    )
    public(
        title="Lang dicht",
        quote_deadline=now - timedelta(days=40),
        question_deadline=now - timedelta(days=50),
    )

    assert titles({}) == ["Binnenkort", "Later", "Net dicht", "Lang dicht"]
    assert titles({"sort": "deadline"}) == ["Binnenkort", "Later", "Net dicht", "Lang dicht"]


def test_newest_sort(public):
    now = timezone.now()
    public(title="Oud", published_at=now - timedelta(days=10))
    public(title="Nieuw", published_at=now - timedelta(days=1))
    public(title="Middel", published_at=now - timedelta(days=5))

    assert titles({"sort": "newest"}) == ["Nieuw", "Middel", "Oud"]


def test_facets_count_the_filtered_tenders_in_one_query(public):
    now = timezone.now()
    a = public(procedure=Procedure.EUROPEAN, contract_type=ContractType.WORKS)
    LotFactory(tender=a, suitable_for_local_smes=True)
    LotFactory(tender=a, suitable_for_local_smes=True)
    public(
        contract_type=ContractType.WORKS,
        quote_deadline=now - timedelta(hours=1),
        question_deadline=now - timedelta(days=1),
    )
    public(contract_type=ContractType.SERVICES)
    public(title="Anders", contract_type=ContractType.SUPPLIES, description="niet dit")

    filterset = TenderFilter(
        {"contract_type": ["works", "services"]}, queryset=Tender.objects.all()
    )
    assert filterset.is_valid()
    with CaptureQueriesContext(connection) as queries:
        facets = filterset.facets()

    assert len(queries) == 1
    assert facets["total"] == 3
    assert facets["status"] == {"open": 2, "closed": 1}
    assert facets["procedure"]["european"] == 1
    assert facets["procedure"]["national"] == 2
    assert facets["contract_type"] == {"works": 2, "supplies": 0, "services": 1, "social": 0}
    assert facets["local_smes"] == 1
