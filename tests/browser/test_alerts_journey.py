"""A firm member saves a tender search as an alert, sees it at /alerts/ with its live count and
pauses it; axe-core checks the alerts pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from marketplace.models import CpvCode
from tenders.models import Procedure
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD
from tests.tenders.factories import PAINTING, TenderFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_firm_saves_a_search_as_alert_sees_its_count_and_pauses_it(
    page: Page, live_server, buyer_org, firm_user, console_errors
):
    page.set_default_timeout(10_000)
    TenderFactory(
        buyer=buyer_org,
        published=True,
        procedure=Procedure.NATIONAL,
        title="Schilderwerk sporthal",
        main_cpv=CpvCode.objects.get(pk=PAINTING),
    )
    log_in(page, live_server, firm_user.email, PASSWORD)
    page.goto(live_server.url + "/tenders/?cpv=45440000")
    expect(page.get_by_text("Schilderwerk sporthal")).to_be_visible()
    page.get_by_role("button", name="Bewaar als melding").click()

    assert_accessible(page)
    page.get_by_label("Naam van de melding").fill("Schilderwerk")
    page.get_by_label("Hoe vaak").select_option("daily")
    page.get_by_role("button", name="Melding bewaren").click()

    expect(page.get_by_role("heading", name="Je meldingen")).to_be_visible()
    row = page.get_by_role("row", name="Schilderwerk")
    expect(row.get_by_text("1 open opdracht")).to_be_visible()
    expect(row.get_by_text("Dagelijks overzicht")).to_be_visible()
    assert_accessible(page)
    row.get_by_role("button", name="Pauzeren").click()
    expect(page.get_by_role("row", name="Schilderwerk").get_by_text("Gepauzeerd")).to_be_visible()
    assert_accessible(page)
    assert console_errors == []
