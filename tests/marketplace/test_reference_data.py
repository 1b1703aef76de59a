"""load_reference_data: the real places and classifications every search and tender relies on."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from marketplace.models import CpvCode, Municipality, Postcode, Region, SbiCode

DRECHTSTEDEN = {"GM0482", "GM0505", "GM0523", "GM0531", "GM0590", "GM0610", "GM0642"}

pytestmark = pytest.mark.django_db


def load_reference_data() -> dict[str, int]:
    """Run the command as an operator would and read the JSON it prints."""
    stdout = StringIO()
    call_command("load_reference_data", verbosity=0, stdout=stdout)
    return json.loads(stdout.getvalue())


def test_command_prints_the_counts_of_the_whole_country():
    counts = load_reference_data()

    assert counts["municipalities"] == 342
    assert counts["postcodes"] == 4067
    assert counts["cpv_codes"] == 9454
    assert counts["sbi_2008_codes"] == 1455
    assert counts["sbi_2025_codes"] == 1954
    assert counts["provinces"] == 12
    assert counts["corop_regions"] == 40


def test_counts_printed_match_what_is_in_the_database():
    counts = load_reference_data()

    assert counts["municipalities"] == Municipality.objects.count()
    assert counts["postcodes"] == Postcode.objects.count()
    assert counts["cpv_codes"] == CpvCode.objects.count()
    assert counts["sbi_2008_codes"] == SbiCode.objects.filter(version="2008").count()
    assert counts["sbi_2025_codes"] == SbiCode.objects.filter(version="2025").count()
    assert counts["provinces"] == Region.objects.filter(kind=Region.Kind.PROVINCE).count()
    assert counts["corop_regions"] == Region.objects.filter(kind=Region.Kind.COROP).count()


def test_running_the_command_twice_prints_the_same_counts_and_adds_nothing():
    first = load_reference_data()
    second = load_reference_data()

    assert second == first
    assert Municipality.objects.count() == 342
    assert CpvCode.objects.count() == 9454


def test_painting_work_sits_under_construction_work_in_the_cpv_tree():
    code = CpvCode.objects.get(pk="45442100")
    chain = []
    while code is not None:
        chain.append(code.code)
        code = code.parent

    assert chain[0] == "45442100"
    assert chain[-1] == "45000000"
    assert "45400000" in chain
    assert CpvCode.objects.get(pk="45000000").parent is None


def test_cpv_prefix_is_the_significant_digits():
    assert CpvCode.objects.get(pk="45400000").prefix == "454"
    assert CpvCode.objects.get(pk="45442100").prefix == "454421"
    assert CpvCode.objects.get(pk="45000000").prefix == "45"


def test_subtree_of_finishing_work_includes_painting_but_not_other_divisions():
    prefix = CpvCode.objects.get(pk="45400000").prefix
    subtree = set(CpvCode.objects.filter(code__startswith=prefix).values_list("code", flat=True))

    assert "45442100" in subtree
    assert "45400000" in subtree
    assert "45000000" not in subtree
    assert "45210000" not in subtree


def test_cpv_codes_have_dutch_and_english_labels():
    painting = CpvCode.objects.get(pk="45442100")

    assert painting.label_nl == "Schilderwerk"
    assert painting.label_en
    assert not CpvCode.objects.filter(label_nl="").exists()


def test_the_seven_drechtsteden_municipalities_share_the_drechtsteden_region():
    in_region = set(
        Municipality.objects.filter(region_id="drechtsteden").values_list("code", flat=True)
    )

    assert in_region == DRECHTSTEDEN
    assert Region.objects.get(pk="drechtsteden").name == "Drechtsteden"


def test_a_municipality_outside_a_grouping_has_its_corop_region_as_region():
    rotterdam = Municipality.objects.get(pk="GM0599")

    assert rotterdam.name == "Rotterdam"
    assert rotterdam.region_id == rotterdam.corop_id
    assert rotterdam.region.kind == Region.Kind.COROP
    assert (
        not Municipality.objects.exclude(code__in=DRECHTSTEDEN)
        .exclude(region_id=F("corop_id"))
        .exists()
    )


def test_a_hand_set_region_survives_reloading_the_reference_data():
    Municipality.objects.filter(pk="GM0599").update(
        region_id="drechtsteden", region_configured=True
    )

    load_reference_data()

    rotterdam = Municipality.objects.get(pk="GM0599")
    assert rotterdam.region_id == "drechtsteden"
    assert rotterdam.region_configured is True


def test_a_region_changed_without_marking_it_configured_is_restored_on_reload():
    Municipality.objects.filter(pk="GM0599").update(region_id="drechtsteden")

    load_reference_data()

    rotterdam = Municipality.objects.get(pk="GM0599")
    assert rotterdam.region_id == rotterdam.corop_id


def test_postcode_areas_know_their_municipality_and_place():
    area = Postcode.objects.get(pk="3311")

    assert area.municipality_id == "GM0505"
    assert area.place == "Dordrecht"
