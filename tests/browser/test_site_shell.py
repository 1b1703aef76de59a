"""The site shell in a real browser: the first buyer journey, accessibility, CSP and language."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_buyer_logs_in_and_lands_on_the_buyers_dashboard(page: Page, live_server, buyer):
    page.goto(live_server.url + "/")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("link", name="Inloggen").click()
    log_in(page, live_server, buyer.email, PASSWORD)

    expect(page).to_have_url(re.compile(r"/tenders/mine/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn opdrachten")
    expect(page.get_by_role("link", name="Nieuwe opdracht")).to_be_visible()
    # One menu item is the current page, not two.
    expect(menu.locator('[aria-current="page"]')).to_have_count(1)
    expect(menu.get_by_role("link", name="Mijn dashboard")).to_have_attribute(
        "aria-current", "page"
    )

    page.goto(live_server.url + "/organisations/gemeente-dordrecht/")
    expect(page.get_by_text("Je bent ingelogd als Inkoper (beheerder).")).to_be_visible()
    expect(page.get_by_role("region", name="Leden")).to_contain_text("alice@dordrecht.example")
    expect(page.get_by_role("link", name="Mijn opdrachten")).to_be_visible()


def test_wrong_password_keeps_the_email_and_says_what_is_wrong(page: Page, live_server, buyer):
    log_in(page, live_server, buyer.email, "not the password")

    expect(page.get_by_role("alert")).to_contain_text("niet correct")
    expect(page.get_by_label("E-mailadres")).to_have_value(buyer.email)


def test_home_and_login_have_no_serious_accessibility_violations(page: Page, live_server):
    for path in ["/", "/accounts/login/", "/accounts/signup/"]:
        page.goto(live_server.url + path)
        assert_accessible(page)


def test_dashboard_has_no_serious_accessibility_violations(page: Page, live_server, buyer):
    log_in(page, live_server, buyer.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn opdrachten")
    assert_accessible(page)


def test_pages_run_under_a_strict_csp_without_errors(
    page: Page, live_server, buyer, console_errors
):
    response = page.goto(live_server.url + "/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    log_in(page, live_server, buyer.email, PASSWORD)
    page.goto(live_server.url + "/organisations/gemeente-dordrecht/audit/")
    assert console_errors == []


def test_nothing_is_loaded_from_another_host(page: Page, live_server, buyer):
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    for path in ["/", "/accounts/login/"]:
        page.goto(live_server.url + path)
    log_in(page, live_server, buyer.email, PASSWORD)
    assert hosts == {live_server.url.split("/")[2]}


def test_visitor_switches_to_english_and_back(page: Page, live_server):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lokaal werk voor lokale ondernemers")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Local work for local firms")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("button", name="Nederlands").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lokaal werk voor lokale ondernemers")


def test_skip_link_moves_focus_to_the_content(page: Page, live_server):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skip).to_be_focused()
    skip.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def test_the_demo_buyer_logs_in_and_sees_the_dordrecht_dashboard(page: Page, live_server):
    call_command("seed_demo", suppliers=5, seed=1, json=True, stdout=io.StringIO())

    log_in(page, live_server, "inkoper@dordrecht.example", "dichtbij-demo")

    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn opdrachten")
    next_up = page.get_by_role("region", name="Nu te doen")
    expect(next_up).to_be_visible()
    expect(next_up.get_by_role("link").first).to_be_visible()
    assert_accessible(page)


def test_the_demo_firm_lands_on_what_to_quote_for_next(page: Page, live_server):
    call_command("seed_demo", suppliers=5, seed=1, json=True, stdout=io.StringIO())

    log_in(page, live_server, "schilder@firma.example", "dichtbij-demo")

    expect(page).to_have_url(re.compile(r"/tenders/firm/$"))
    expect(page.get_by_role("heading", name="Nu te doen").first).to_be_visible()
    assert_accessible(page)
