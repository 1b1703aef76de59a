"""Issue 17.7: absurd API parameters answer 422 with DESIGN §6's error shape, never 500, and the
OpenAPI schema documents every status and the parameters' patterns."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

ABSURD = [
    "/api/tenders?offset=99999999999999999999",
    "/api/suppliers?offset=99999999999999999999",
    "/api/tenders?offset=9223372036854775808",
    "/api/suppliers?offset=9223372036854775808",
    "/api/tenders?offset=-1",
    "/api/tenders?limit=99999999999999999999",
    "/api/suppliers?limit=0",
    "/api/suppliers?radius_km=1e400",
    "/api/ocds/releases?since=0001-01-01T00:00:00",
    "/api/ocds/releases?since=9999-12-31T23:59:59",
    "/api/ocds/releases?since=gisteren",
    "/api/ocds/releases?page=99999999999999999999",
    "/api/tenders?municipality=Dordrecht",
    "/api/suppliers?near=GM05051",
]


@pytest.mark.parametrize("url", ABSURD)
def test_an_absurd_parameter_is_a_422_with_the_error_shape(client, reference_data, url):
    response = client.get(url)

    assert response.status_code == 422, response.content[:300]
    detail = response.json()["detail"]
    assert detail and isinstance(detail, (str, list))


def test_a_big_offset_within_bounds_is_an_empty_page(client, reference_data):
    response = client.get("/api/tenders?offset=1000000")

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_the_schema_documents_every_status_and_the_municipality_pattern(client):
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]

    for path in ("/api/tenders", "/api/suppliers", "/api/ocds/releases", "/api/cpv"):
        assert {"200", "422"} <= set(paths[path]["get"]["responses"]), path
    assert "404" in paths["/api/tenders/{tender_id}/ocds"]["get"]["responses"]
    parameters = {p["name"]: p for p in paths["/api/tenders"]["get"]["parameters"]}
    assert parameters["municipality"]["schema"]["pattern"] == r"^([Gg][Mm]\d{4})?$"
    parameters = {p["name"]: p for p in paths["/api/suppliers"]["get"]["parameters"]}
    assert parameters["near"]["schema"]["pattern"] == r"^([Gg][Mm]\d{4})?$"
    assert parameters["offset"]["schema"]["maximum"] == 1_000_000
