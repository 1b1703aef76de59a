"""J3 in a real browser: an editor writes a speerpunt, a moderator approves it, it is published."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from cms.models import HomePage, SpeerpuntenIndexPage
from tests.browser.conftest import assert_accessible
from tests.cms.conftest import make_event, publish
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def admin_log_in(page: Page, live_server, email: str) -> None:
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def booklet_text(page: Page, live_server) -> str:
    response = page.request.get(live_server.url + "/speerpunten/boekje.pdf")
    assert response.ok
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)


@pytest.fixture
def moderator(db):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    user = UserFactory(email="gijs@dichtbij.example", first_name="Gijs")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def speerpunten_index(db):
    return publish(
        HomePage.objects.get(),
        SpeerpuntenIndexPage(
            title="Speerpunten", slug="speerpunten", intro="<p>Waar wij voor staan.</p>"
        ),
    )


def test_j3_editor_writes_moderator_approves_speerpunt_appears_in_site_and_booklet(
    page: Page, live_server, editor, moderator, speerpunten_index, dordrecht
):
    from tests.factories import FirmFactory

    FirmFactory.create_batch(3, municipality=dordrecht)
    admin_log_in(page, live_server, editor.email)
    page.goto(f"{live_server.url}/admin/pages/add/cms/speerpuntpage/{speerpunten_index.pk}/")
    page.get_by_role("textbox", name="Titel*", exact=True).fill("Samen sterker")
    page.get_by_role("textbox", name="Korte samenvatting*").fill(
        "Ondernemers die elkaar helpen, winnen samen."
    )
    page.screenshot(path="/tmp/cmswork/j3-1.png", full_page=True)
    page.get_by_role("button", name="Blok invoegen").click()
    page.get_by_role("option", name="Actueel cijfer").click()
    page.get_by_role("combobox", name="Cijfer*").select_option(
        label="Bedrijven in de index in een regio"
    )
    page.get_by_role("textbox", name="Wat het getal zegt*").fill("bedrijven om mee samen te werken")
    page.get_by_role("textbox", name="Regiocode").fill("drechtsteden")
    page.get_by_role("button", name="Meer acties").click()
    page.get_by_role("button", name="Stuur door naar Goedkeuring door moderatoren").click()
    expect(page.get_by_role("cell", name="Huidige paginastatus: ter goedkeuring")).to_be_visible()

    from cms.models import SpeerpuntPage

    draft = SpeerpuntPage.objects.get(title="Samen sterker")
    assert not draft.live
    page.goto(live_server.url + "/speerpunten/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Speerpunten")
    expect(page.get_by_text("Samen sterker")).to_have_count(0)
    assert "Samen sterker" not in booklet_text(page, live_server)

    page.context.clear_cookies()
    admin_log_in(page, live_server, moderator.email)
    page.goto(f"{live_server.url}/admin/pages/{draft.pk}/edit/")
    page.get_by_role("button", name="Meer acties").click()
    page.get_by_role("button", name="Goedkeuren met opmerking en publiceren").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Opmerking").fill("Mooi stuk, en het cijfer klopt.")
    dialog.get_by_role("button", name="Goedkeuren met opmerking").click()
    expect(page.get_by_role("cell", name="Huidige paginastatus: live")).to_be_visible()

    page.context.clear_cookies()
    page.goto(live_server.url + "/speerpunten/")
    page.get_by_role("link", name="Samen sterker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Samen sterker")
    figure = page.get_by_role("figure").filter(has_text="bedrijven om mee samen te werken")
    expect(figure).to_contain_text("3")
    expect(figure).to_contain_text("Bron: Dichtbij, leveranciersindex")
    assert_accessible(page)
    text = booklet_text(page, live_server)
    assert "1. Samen sterker" in text
    assert "bedrijven om mee samen te werken" in text


def test_a_firm_rsvps_for_an_event_and_lands_on_the_waiting_list_when_full(
    page: Page, live_server, firm_user, buyer
):
    from cms.models import EventIndexPage

    index = publish(
        HomePage.objects.get(), EventIndexPage(title="Bijeenkomsten", slug="bijeenkomsten")
    )
    event = make_event(index, "Netwerkavond Dordrecht", capacity=1)
    page.goto(live_server.url + "/bijeenkomsten/")
    assert_accessible(page)
    page.get_by_role("link", name="Netwerkavond Dordrecht").click()
    assert_accessible(page)
    page.get_by_role("link", name="Log in om je aan te melden").click()
    page.get_by_label("E-mailadres").fill(firm_user.email)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Netwerkavond Dordrecht")

    page.get_by_role("button", name="Meld me aan").click()

    expect(page.get_by_role("status")).to_contain_text("Je bent aangemeld: tot dan!")
    expect(page.get_by_text("Je bent aangemeld.")).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/?next=" + event.url)
    page.get_by_label("E-mailadres").fill(buyer.email)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text("Vol: je kunt op de wachtlijst")).to_be_visible()
    page.get_by_role("button", name="Zet me op de wachtlijst").click()
    expect(page.get_by_role("status")).to_contain_text("je staat op de wachtlijst")


def test_the_new_public_pages_have_no_serious_accessibility_violations(page: Page, live_server):
    from django.core.management import call_command

    call_command("seed_cms_demo", stdout=io.StringIO())
    for path in [
        "/",
        "/speerpunten/",
        "/speerpunten/lokaal-inkopen/",
        "/nieuws/",
        "/nieuws/dichtbij-gaat-live/",
        "/bijeenkomsten/",
        "/bijeenkomsten/netwerkavond-dordrecht/",
        "/over-ons/",
        "/zoeken/?q=ondernemers",
    ]:
        response = page.goto(live_server.url + path)
        assert response.ok, path
        assert_accessible(page)
