"""The monitor's pages, CSV and JSON lines (issue 14 points 3 and 4), on the real database."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.tenders.monitor.factories import contract_for, spend_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(buyer_org, dordrecht, local_firm, regional_firm, distant_firm):
    contract_for(buyer_org, local_firm, "1000.00", date(2024, 3, 1), main_cpv_id="45000000")
    contract_for(buyer_org, distant_firm, "3000.00", date(2024, 5, 1))
    contract_for(buyer_org, local_firm, "2500.00", date(2025, 3, 1), main_cpv_id="45000000")
    contract_for(buyer_org, regional_firm, "1500.00", date(2025, 4, 1))
    spend_line(dordrecht, "1234.56", date(2025, 6, 1), firm=local_firm)
    spend_line(dordrecht, "-200.00", date(2025, 6, 2), name="Onvindbaar BV")


def test_overview_lists_municipalities_with_data(client, history):
    response = client.get("/monitor/")

    assert response.status_code == 200
    text = response.content.decode()
    assert "Dordrecht" in text
    assert "Drechtsteden" in text
    assert 'href="/monitor/GM0505/"' in text


def test_overview_without_data_says_so(client, reference_data):
    response = client.get("/monitor/")

    assert response.status_code == 200
    assert "monitor" in response.content.decode().lower()
    assert "GM0505" not in response.content.decode()


def test_detail_shows_figures_charts_and_tables(client, history):
    response = client.get("/monitor/GM0505/?year=2025")

    text = response.content.decode()
    assert response.status_code == 200
    assert text.count("<svg viewBox") == 2
    assert "€\u00a03.734,56" in text  # local: 2.500 + 1.234,56
    assert "Onvindbaar BV" in text
    assert "Alblasserdam" in text  # what "regio" means for Dordrecht
    assert "25 km" in text
    assert "<script" not in text.split("</header>")[1].split("<footer")[0]


def test_year_switch_changes_the_figures(client, history):
    text = client.get("/monitor/GM0505/?year=2024").content.decode()

    assert "€\u00a04.000" in text
    assert "Onvindbaar BV" not in text


def test_region_switch_sums_the_region(client, history, other_buyer_org, regional_firm):
    contract_for(other_buyer_org, regional_firm, "700.00", date(2025, 2, 1))

    alone = client.get("/monitor/GM0505/?year=2025").content.decode()
    region = client.get("/monitor/GM0505/?year=2025&region=on").content.decode()

    assert "€\u00a0700" not in alone
    assert "Drechtsteden" in region.split("<h1>")[1].split("</h1>")[0]
    assert "€\u00a04.434,56" in region  # Dordrecht's local 3.734,56 + Zwijndrecht's own 700


def test_a_bad_year_keeps_the_page_and_says_why(client, history):
    response = client.get("/monitor/GM0505/?year=1999")

    assert response.status_code == 200
    assert "field__errors" in response.content.decode()


def test_unknown_municipality_is_404(client, reference_data):
    assert client.get("/monitor/GM9999/").status_code == 404


def test_csv_has_bom_semicolons_dutch_numbers_a_row_per_tier_and_totals(client, history):
    response = client.get("/monitor/GM0505/export.csv?year=2025")

    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = [line.split(";") for line in body.lstrip("\ufeff").strip().splitlines()]
    assert len(rows) == 1 + 5 + 1
    assert rows[1][2] == "Lokaal"
    assert rows[1][3] == "3.734,56"
    assert rows[-1][3] == "5.034,56"
    assert rows[-1][4] == "4"


def test_json_lines_recompute_the_figures(client, history):
    response = client.get("/monitor/GM0505/regels.jsonl?year=2025")

    lines = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert {line["kind"] for line in lines} == {"contract", "spend_line"}
    local = sum(line["amount"] for line in lines if line["tier"] == 0)
    assert round(local, 2) == 3734.56
    unknown = [line for line in lines if line["tier"] is None]
    assert unknown[0]["supplier"]["name"] == "Onvindbaar BV"
    assert lines[0]["ocds"].startswith("/api/tenders/")


def test_api_has_the_design_shape(client, history):
    data = client.get("/api/monitor/GM0505?year=2025").json()

    assert data["municipality"] == {"code": "GM0505", "name": "Dordrecht"}
    assert data["year"] == 2025
    assert data["total"] == {"value": 5034.56, "count": 4}
    assert [t["tier"] for t in data["tiers"]] == [0, 1, 2, 3]
    assert data["tiers"][0]["value"] == 3734.56
    assert data["tiers"][0]["share_of_value"] == round(3734.56 / 5034.56, 4)
    assert data["unknown"]["value"] == -200.0
    assert data["sources"] == {
        "platform": {"value": 4000.0, "count": 2},
        "imported": {"value": 1034.56, "count": 2},
    }


def test_api_refuses_a_bad_year_and_an_unknown_code(client, reference_data):
    assert client.get("/api/monitor/GM0505?year=abc").status_code == 422
    assert client.get("/api/monitor/GM0505?year=1800").status_code == 422
    assert client.get("/api/monitor/GM9999").status_code == 404


def test_menu_has_the_monitor(client, reference_data):
    text = client.get("/monitor/").content.decode()

    assert 'href="/monitor/" aria-current="page"' in text


def test_the_cached_page_shows_an_import_at_once(client, history, tmp_path):
    from django.core.management import call_command

    before = client.get("/monitor/GM0505/?year=2025").content.decode()
    assert "Drukkerij Nieuw" not in before
    export = tmp_path / "export.csv"
    export.write_text(
        "date;supplier_name;supplier_postcode;amount\n2025-08-01;Drukkerij Nieuw;3311;99999,00\n"
    )
    call_command(
        "import_spend",
        str(export),
        "--municipality",
        "GM0505",
        "--json",
        stdout=tmp_path.joinpath("out").open("w"),
    )

    after = client.get("/monitor/GM0505/?year=2025").content.decode()
    assert "Drukkerij Nieuw" in after


def test_openapi_documents_the_monitor_endpoint(client, reference_data):
    schema = client.get("/api/openapi.json").json()

    responses = schema["paths"]["/api/monitor/{gm_code}"]["get"]["responses"]
    assert {"200", "404", "422"} <= set(responses)
