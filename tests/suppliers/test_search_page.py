"""The supplier search page and GET /api/suppliers, as a visitor and a buyer use them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.models import CpvCode, Municipality
from suppliers.search import get_backend
from tests.factories import FirmFactory


def painter(name, code, **extra):
    municipality = Municipality.objects.get(pk=code)
    firm = FirmFactory(
        organisation__name=name,
        municipality=municipality,
        latitude=municipality.latitude,
        longitude=municipality.longitude,
        description="Schilderwerk binnen en buiten.",
        **extra,
    )
    firm.cpv_codes.set(CpvCode.objects.filter(pk__in=["45442100"]))
    return firm


@pytest.fixture
def painters(reference_data):
    firms = [
        painter("Schildersbedrijf Dordt", "GM0505", employees=5),
        painter("Schilder Zwijndrecht", "GM0642", employees=20),
        painter("Rotterdamse Schilders", "GM0599", employees=80),
        painter("Schilderbedrijf Noord", "GM0014", employees=3),
    ]
    get_backend().index([firm.pk for firm in firms])
    return firms


def test_a_visitor_sees_local_firms_first_with_the_reason(client, painters):
    response = client.get("/suppliers/", {"q": "schilder", "near": "GM0505"})

    assert response.status_code == 200
    page = response.content.decode()
    order = [
        page.index(name)
        for name in (
            "Schildersbedrijf Dordt",
            "Schilder Zwijndrecht",
            "Rotterdamse Schilders",
            "Schilderbedrijf Noord",
        )
    ]
    assert order == sorted(order)
    assert "4 bedrijven gevonden" in page
    assert "Lokaal" in page and "regio Drechtsteden" in page
    assert reverse("suppliers:detail", args=[painters[0].kvk_number]) in page


def test_which_search_engine_answered_is_for_staff_only(client, painters, django_user_model):
    visitor = client.get("/suppliers/", {"q": "schilder"}).content.decode()
    assert "Zoekmachine" not in visitor

    staff = django_user_model.objects.create_user(
        email="staf@dichtbij.example", password="x", is_staff=True
    )
    client.force_login(staff)
    assert "Zoekmachine:" in client.get("/suppliers/", {"q": "schilder"}).content.decode()


def test_a_buyer_searches_from_their_own_municipality_by_default(client, buyer, painters):
    client.force_login(buyer)

    page = client.get("/suppliers/", {"q": "schilder"}).content.decode()

    assert "in de buurt van Dordrecht" in page
    assert page.index("Schildersbedrijf Dordt") < page.index("Schilder Zwijndrecht")


def test_when_nothing_is_local_the_page_says_where_the_nearest_firms_are(client, painters):
    page = client.get("/suppliers/", {"q": "schilder", "near": "GM0590"}).content.decode()

    # Papendrecht has no painter; its region, the Drechtsteden, has two.
    assert "Geen lokale resultaten in Papendrecht" in page
    assert "2 in de regio Drechtsteden" in page


def test_nothing_found_gets_a_helpful_empty_state(client, painters):
    page = client.get("/suppliers/", {"q": "zeilmaker", "near": "GM0505"}).content.decode()

    assert "Niets gevonden voor “zeilmaker”" in page
    assert "grotere straal" in page


def test_an_unknown_cpv_code_is_named_and_the_typed_text_kept(client, painters):
    page = client.get("/suppliers/", {"q": "schilder", "cpv": "12345678"}).content.decode()

    assert "Onbekende CPV-codes: 12345678" in page
    assert 'value="schilder"' in page


def test_filters_narrow_by_cpv_size_and_show_facets(client, painters):
    page = client.get(
        "/suppliers/", {"cpv": "45400000", "size": "micro", "near": "GM0505"}
    ).content.decode()

    assert "Schildersbedrijf Dordt" in page and "Schilderbedrijf Noord" in page
    assert "Rotterdamse Schilders" not in page
    assert "Bouwwerkzaamheden" in page  # the CPV division facet


def test_the_activities_the_search_matched_are_marked_and_shown_first(client, painters):
    firm = painters[0]
    firm.cpv_codes.add(CpvCode.objects.get(pk="45210000"))  # Bouwen van gebouwen
    get_backend().index([firm.pk])

    by_text = client.get("/suppliers/", {"q": "schilderw", "near": "GM0505"}).content.decode()
    by_cpv = client.get("/suppliers/", {"cpv": "45200000", "near": "GM0505"}).content.decode()

    marked = (
        '<li class="tag tag--match"><span class="visually-hidden">past bij je zoekvraag: </span>'
    )
    assert f"{marked}Schilderwerk</li>" in by_text
    assert f"{marked}Bouwen van gebouwen</li>" not in by_text
    assert by_text.index("Schilderwerk</li>") < by_text.index("Bouwen van gebouwen</li>")
    assert f"{marked}Bouwen van gebouwen</li>" in by_cpv
    assert by_cpv.index("Bouwen van gebouwen</li>") < by_cpv.index("Schilderwerk</li>")


def test_results_are_paginated(client, reference_data):
    municipality = Municipality.objects.get(pk="GM0505")
    firms = [
        FirmFactory(
            organisation__name=f"Schilder {n:02d}",
            municipality=municipality,
            latitude=municipality.latitude,
            longitude=municipality.longitude,
        )
        for n in range(25)
    ]
    get_backend().index([firm.pk for firm in firms])

    first = client.get("/suppliers/", {"q": "schilder"}).content.decode()
    second = client.get("/suppliers/", {"q": "schilder", "page": 2}).content.decode()

    assert "Schilder 00" in first and "Schilder 20" not in first
    assert "Schilder 20" in second and "Schilder 00" not in second
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_the_api_answers_in_the_documented_shape(client, painters):
    response = client.get("/api/suppliers", {"q": "schilder", "near": "GM0505", "limit": 2})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "backend", "results"}
    assert body["count"] == 4
    assert body["backend"] in {"database", "elasticsearch"}
    first = body["results"][0]
    assert set(first) == {
        "kvk_number",
        "name",
        "municipality",
        "locality",
        "distance_km",
        "cpv_codes",
        "url",
    }
    assert first["name"] == "Schildersbedrijf Dordt"
    assert first["municipality"] == {"code": "GM0505", "name": "Dordrecht"}
    assert first["locality"] == {"tier": 0, "label": "Lokaal"}
    assert first["cpv_codes"] == ["45442100-8"]
    assert first["url"].endswith(f"/suppliers/{painters[0].kvk_number}/")
    assert body["results"][1]["locality"] == {"tier": 1, "label": "Regio"}


def test_the_api_pages_and_filters_by_cpv(client, painters):
    page_two = client.get("/api/suppliers", {"near": "GM0505", "limit": 2, "offset": 2}).json()
    none = client.get("/api/suppliers", {"cpv": "45100000"}).json()

    assert [r["name"] for r in page_two["results"]] == [
        "Rotterdamse Schilders",
        "Schilderbedrijf Noord",
    ]
    assert none == {"count": 0, "backend": none["backend"], "results": []}


def test_the_api_refuses_an_unknown_municipality_and_a_silly_limit(client, painters):
    unknown = client.get("/api/suppliers", {"near": "GM9999"})

    assert unknown.status_code == 422
    assert "GM9999" in unknown.json()["detail"]
    assert client.get("/api/suppliers", {"limit": 1000}).status_code == 422
    assert client.get("/api/suppliers", {"near": "gm0505"}).json()["count"] == 4


# One rule for the CPV filter (SupplierSearchForm): what either the page or the API took before.
@pytest.mark.parametrize(
    "cpv",
    [
        "45442100",
        "45442100-8",
        "45442100-7",  # the API never checked the check digit
        "4544",  # the API read the first digits as the code they begin: 45440000
        "45442100, 45400000",
        "45442100 45400000",
        "45442100;45400000",
    ],
)
def test_the_page_and_the_api_take_the_same_cpv_codes(client, painters, cpv):
    api = client.get("/api/suppliers", {"cpv": cpv}).json()
    page = client.get("/suppliers/", {"cpv": cpv}).content.decode()

    assert api["count"] == 4
    assert "4 bedrijven gevonden" in page


@pytest.mark.parametrize("cpv", ["12345678", "abc", "3", "454421001", "45442100-"])
def test_a_cpv_code_that_names_no_code_is_refused_by_the_page_and_the_api(client, painters, cpv):
    api = client.get("/api/suppliers", {"cpv": cpv})
    page = client.get("/suppliers/", {"cpv": cpv}).content.decode()

    assert api.status_code == 422
    assert f"Onbekende CPV-codes: {cpv}." in api.json()["detail"]
    assert f"Onbekende CPV-codes: {cpv}." in page


def test_the_api_is_in_the_openapi_schema(client):
    schema = client.get("/api/openapi.json").json()

    assert "/api/suppliers" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/suppliers"]["get"]["parameters"]}
    assert {"q", "cpv", "near", "radius_km", "limit", "offset"} <= parameters


def test_the_cpv_lookup_finds_codes_by_dutch_label_and_by_code(client, reference_data):
    by_label = client.get("/api/cpv", {"q": "schilderw"}).json()["results"]
    by_code = client.get("/api/cpv", {"q": "454421"}).json()["results"]

    assert {"code": "45442100", "full_code": "45442100-8", "label": "Schilderwerk"} in by_label
    assert by_code[0]["code"] == "45442100"
    assert client.get("/api/cpv", {"q": "s"}).json() == {"results": []}
