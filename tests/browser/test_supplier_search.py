"""J4 in a real browser: a visitor looks for a painter near Dordrecht; local ones come first."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from marketplace.models import CpvCode, Municipality
from suppliers.search import get_backend
from tests.browser.conftest import assert_accessible
from tests.factories import FirmFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def firm(name, code, cpv, description=""):
    municipality = Municipality.objects.get(pk=code)
    made = FirmFactory(
        organisation__name=name,
        municipality=municipality,
        latitude=municipality.latitude,
        longitude=municipality.longitude,
        place=municipality.name,
        description=description,
    )
    made.cpv_codes.set(CpvCode.objects.filter(pk__in=cpv))
    return made


@pytest.fixture
def painters(reference_data):
    firms = [
        firm("Schildersbedrijf De Kwast", "GM0505", ["45442100"], "Binnen- en buitenschilderwerk."),
        firm("Glas en Verf Dordt", "GM0505", ["45441000"], "Beglazing en schilderwerk."),
        firm("Schilder Zwijndrecht", "GM0642", ["45442100"]),
        firm("Schilderbedrijf Noord", "GM0014", ["45442100"]),
        firm("Bouwbedrijf Merwede", "GM0505", ["45210000"], "Nieuwbouw."),
    ]
    get_backend().index([f.pk for f in firms])
    return firms


def test_visitor_finds_local_painters_first_narrows_by_cpv_and_opens_a_profile(
    page: Page, live_server, painters, console_errors
):
    page.goto(live_server.url + "/")
    page.goto(live_server.url + "/suppliers/")
    page.get_by_label("Wat zoek je?").fill("schilder")
    page.get_by_label("In de buurt van gemeente").select_option(label="Dordrecht")
    page.get_by_role("button", name="Zoeken", exact=True).click()

    results = page.get_by_role("listitem").filter(has=page.get_by_role("heading", level=3))
    expect(page.get_by_role("heading", name="4 bedrijven gevonden")).to_be_visible()
    expect(results.first).to_contain_text("Lokaal")
    expect(results.nth(0).get_by_role("heading")).to_have_text("Schildersbedrijf De Kwast")
    expect(results.nth(1)).to_contain_text("Lokaal")
    expect(results.nth(2)).to_contain_text("Regio")
    expect(results.nth(2)).to_contain_text("regio Drechtsteden")
    expect(results.nth(3)).to_contain_text("Elders")
    assert_accessible(page)

    page.get_by_label("Activiteiten (CPV-codes)", exact=True).fill("45442100")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    expect(page.get_by_role("heading", name="3 bedrijven gevonden")).to_be_visible()
    expect(page.get_by_text("Glas en Verf Dordt")).to_have_count(0)

    page.get_by_role("link", name="Schildersbedrijf De Kwast").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schildersbedrijf De Kwast")
    expect(page.get_by_text("Schilderwerk", exact=True).first).to_be_visible()
    assert_accessible(page)
    assert console_errors == []


def test_a_buyer_starts_from_their_own_municipality(page: Page, live_server, buyer, painters):
    from tests.browser.conftest import log_in
    from tests.factories import PASSWORD

    log_in(page, live_server, buyer.email, PASSWORD)
    page.goto(live_server.url + "/suppliers/?q=schilder")

    expect(page.get_by_label("In de buurt van gemeente")).to_have_value("GM0505")
    expect(page.get_by_role("heading", level=2).first).to_contain_text("in de buurt van Dordrecht")
