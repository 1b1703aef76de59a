"""Where a firm is: postcodes, locations and distances (DESIGN §4.1)."""

from __future__ import annotations

import pytest

from marketplace.geo import distance_km, normalise_postcode, resolve_location
from marketplace.models import Municipality, Postcode


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3311ab", "3311 AB"),
        ("3311 AB", "3311 AB"),
        ("  3311  ab ", "3311 AB"),
        ("3311", "3311"),
        ("rubbish", None),
        ("0123", None),
        ("0123 AB", None),
        ("33111", None),
        ("3311 A", None),
        ("", None),
    ],
)
def test_postcodes_are_written_the_dutch_way_or_refused(typed, expected):
    assert normalise_postcode(typed) == expected


def test_a_known_postcode_gives_its_centroid_and_municipality(reference_data):
    area = Postcode.objects.get(pk="3311")

    location = resolve_location("3311 ES")

    assert location is not None
    assert location.municipality.code == "GM0505"
    assert (location.latitude, location.longitude) == (area.latitude, area.longitude)
    assert location.postcode_area == area


def test_the_municipality_given_wins_over_the_postcodes(reference_data, zwijndrecht):
    location = resolve_location("3311", zwijndrecht)

    assert location is not None
    assert location.municipality == zwijndrecht
    assert location.postcode_area is not None
    assert location.postcode_area.code == "3311"


def test_a_missing_postcode_falls_back_to_the_municipalitys_location(reference_data):
    assert not Postcode.objects.filter(pk="1364").exists()
    almere = Municipality.objects.get(name="Almere")

    location = resolve_location("1364 AB", almere)

    assert location is not None
    assert location.municipality == almere
    assert (location.latitude, location.longitude) == (almere.latitude, almere.longitude)
    assert location.postcode_area is None


def test_rubbish_postcode_with_a_municipality_still_locates_the_firm(dordrecht):
    location = resolve_location("not a postcode", dordrecht)

    assert location is not None
    assert location.municipality == dordrecht
    assert location.postcode_area is None


def test_neither_postcode_nor_municipality_known_gives_no_location(reference_data):
    assert resolve_location("1364 AB") is None
    assert resolve_location("rubbish") is None
    assert resolve_location("") is None


def test_one_degree_of_latitude_is_about_111_km():
    assert distance_km(51.0, 4.5, 52.0, 4.5) == pytest.approx(111.2, abs=0.1)


def test_distance_is_symmetric_and_zero_to_itself():
    assert distance_km(51.8, 4.67, 51.8, 4.67) == 0
    there = distance_km(51.8, 4.67, 52.37, 4.9)
    back = distance_km(52.37, 4.9, 51.8, 4.67)
    assert there == pytest.approx(back)


def test_firms_in_central_dordrecht_and_central_rotterdam_are_under_20_km_apart(reference_data):
    dordrecht = resolve_location("3311 ES")
    rotterdam = resolve_location("3011 AD")

    km = distance_km(
        dordrecht.latitude, dordrecht.longitude, rotterdam.latitude, rotterdam.longitude
    )

    assert 15 <= km <= 20


def test_dordrecht_to_rotterdam_is_about_twenty_kilometres(dordrecht):
    rotterdam = Municipality.objects.get(pk="GM0599")
    here = resolve_location("", dordrecht)
    there = resolve_location("", rotterdam)

    km = distance_km(here.latitude, here.longitude, there.latitude, there.longitude)

    assert 18 <= km <= 22
