"""Issue 14 point 7 in a real browser: a visitor reads Dordrecht's local spend and downloads the
CSV; a buyer administrator uploads a finance export with two bad lines and sees them reported."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from marketplace.models import Municipality
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, FirmFactory
from tests.tenders.monitor.factories import contract_for, spend_line

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _firm(name: str, code: str):
    return FirmFactory(organisation__name=name, municipality=Municipality.objects.get(pk=code))


@pytest.fixture
def dordrecht_history(buyer_org, dordrecht):
    painter = _firm("Schilder Dordt", "GM0505")
    builder = _firm("Bouw Zwijndrecht", "GM0642")
    adviser = _firm("Advies Groningen", "GM0014")
    contract_for(buyer_org, painter, "12000.00", date(2024, 3, 1), main_cpv_id="45000000")
    contract_for(buyer_org, adviser, "8000.00", date(2024, 9, 1))
    contract_for(buyer_org, painter, "30000.00", date(2025, 3, 1), main_cpv_id="45000000")
    contract_for(buyer_org, builder, "20000.00", date(2025, 4, 1), main_cpv_id="45000000")
    spend_line(dordrecht, "1500.00", date(2025, 6, 1), firm=painter)


def test_visitor_reads_dordrecht_switches_year_and_downloads_the_csv(
    page: Page, live_server, baseline_data, dordrecht_history, console_errors
):
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/tenders/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Lokale besteding"
    ).click()
    expect(page.get_by_role("heading", name="Hoeveel blijft lokaal", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Dordrecht").click()
    expect(page.get_by_role("heading", name="Hoeveel blijft lokaal: Dordrecht")).to_be_visible()
    tiers = page.get_by_role("region", name="Per niveau in 2025")
    expect(tiers.get_by_role("row", name="Lokaal")).to_contain_text("€ 31.500")
    expect(page.get_by_role("img", name="Bedrag per jaar per niveau")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("combobox", name="Jaar").select_option("2024")
    page.get_by_role("button", name="Toon").click()
    tiers = page.get_by_role("region", name="Per niveau in 2024")
    expect(tiers.get_by_role("row", name="Lokaal")).to_contain_text("€ 12.000")
    expect(tiers.get_by_role("row", name="Elders")).to_contain_text("€ 8.000")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download de cijfers (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "lokale-besteding-GM0505-2024.csv"
    text = open(download.path(), encoding="utf-8-sig").read()
    assert "Dordrecht;2024;Lokaal;12.000,00;1;60,0" in text
    assert "Dordrecht;2024;Totaal;20.000,00;2" in text
    assert console_errors == []


def test_buyer_administrator_uploads_an_export_and_sees_the_bad_lines(
    page: Page, live_server, baseline_data, buyer, tmp_path, console_errors
):
    page.set_default_timeout(15_000)
    export = tmp_path / "crediteuren.csv"
    export.write_text(
        "date;supplier_kvk;supplier_name;supplier_postcode;amount;description;invoice\n"
        "2025-03-01;;Drukkerij De Merwede;3312;1.234,56;Folders;F-1\n"
        "02-03-2025;;;;99,00;Zonder leverancier;F-2\n"
        "2025-03-03;;Catering Het Hof;3311;veel;Lunch;F-3\n"
        "2025-03-04;;Stichting Buurtwerk;;-250,00;Creditnota;F-4\n",
        encoding="utf-8",
    )
    log_in(page, live_server, buyer.email, PASSWORD)
    page.goto(live_server.url + "/monitor/GM0505/")
    page.get_by_role("link", name="Financiële export van Dordrecht importeren").click()
    assert_accessible(page)

    page.get_by_label("Financiële export (CSV)").set_input_files(str(export))
    page.get_by_role("button", name="Importeren").click()

    expect(page.get_by_role("heading", name="Import klaar")).to_be_visible()
    expect(page.get_by_text("2 nieuwe regels")).to_be_visible()
    expect(page.get_by_text("2 regels afgewezen")).to_be_visible()
    rejected = page.get_by_role("region", name="Afgewezen regels")
    expect(rejected.get_by_role("row", name="3 geen leverancier")).to_be_visible()
    expect(rejected.get_by_role("row", name="4 bedrag is geen getal")).to_be_visible()
    unplaced = page.get_by_role("region", name="Leveranciers die niet te plaatsen zijn")
    expect(unplaced).to_contain_text("Stichting Buurtwerk")
    assert_accessible(page)

    page.get_by_role("link", name="Bekijk de cijfers").click()
    tiers = page.get_by_role("region", name="Per niveau in 2025")
    expect(tiers.get_by_role("row", name="Lokaal")).to_contain_text("€ 1.234,56")
    expect(tiers.get_by_role("row", name="Onbekend")).to_contain_text("€ -250")
    assert console_errors == []
