"""Journey J2, its first step, in a real browser: a new firm registers and lands on its profile.

These journeys run in English (the language cookie, set after logging in), so they do not depend
on the Dutch translations of the new pages being compiled yet.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _content_types_cached(baseline_data):
    """Restoring the baseline before the next test builds Wagtail pages, and Page.__init__ asks
    ContentType.objects.get_for_model: with a cold cache that inserts a content type the restore
    then inserts again (IntegrityError). Keep the cache warm with the baseline's ids."""
    ContentType.objects.get_for_models(*apps.get_models())


@pytest.fixture
def newcomer(baseline_data):
    """Gijs: signed up and verified, no firm yet."""
    return UserFactory(email="gijs@verfwerk.example", first_name="Gijs")


def in_english(page: Page, live_server) -> None:
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )


def open_registration(page: Page, live_server, user) -> None:
    log_in(page, live_server, user.email, PASSWORD)
    in_english(page, live_server)
    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_role("link", name="Register it with your KvK number.").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register your firm")


def test_a_new_firm_registers_and_lands_on_its_profile(
    page: Page, live_server, newcomer, console_errors
):
    open_registration(page, live_server, newcomer)
    assert_accessible(page)

    page.get_by_label("KvK number").fill("12345678")
    page.get_by_label("Firm name").fill("Verfwerk Gijs")
    page.get_by_label("What your firm does").fill("Binnen- en buitenschilderwerk in Dordrecht.")
    page.get_by_label("Street").fill("Voorstraat")
    page.get_by_label("House number").fill("12")
    page.get_by_label("Postcode").fill("3311ab")
    page.get_by_label("Activities (CPV codes)").fill("45442100")
    page.get_by_label("Number of employees").fill("4")
    page.get_by_label("VCA (veiligheid)").check()
    page.get_by_label("E-mail address for buyers").fill("info@verfwerk.example")
    page.get_by_role("button", name="Register firm").click()

    expect(page).to_have_url(re.compile(r"/suppliers/12345678/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Verfwerk Gijs")
    expect(page.get_by_role("status")).to_contain_text("in the municipality of Dordrecht")
    activities = page.get_by_role("region", name="Activities")
    expect(activities).to_contain_text("45442100-8")
    expect(activities).to_contain_text("Schilderwerk")
    expect(page.get_by_role("link", name="Edit profile")).to_be_visible()
    expect(page.get_by_role("link", name="Invite a colleague")).to_be_visible()
    assert_accessible(page)

    # Right after saving, buyers searching near Dordrecht find the new firm, local first.
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Suppliers").click()
    page.get_by_label("What are you looking for?").fill("verfwerk")
    page.get_by_label("Near municipality").select_option(label="Dordrecht")
    page.get_by_role("button", name="Search", exact=True).click()
    found = page.get_by_role("listitem").filter(has=page.get_by_role("link", name="Verfwerk Gijs"))
    expect(found).to_contain_text("Local")
    expect(found).to_contain_text("Schilderwerk")
    assert console_errors == []


def test_activities_are_chosen_with_the_keyboard_from_the_type_ahead(
    page: Page, live_server, newcomer, console_errors
):
    open_registration(page, live_server, newcomer)
    codes = page.get_by_label("Activities (CPV codes)")
    search = page.get_by_role("combobox", name="Search activities by name or code")

    search.fill("schilderen van geb")
    options = page.get_by_role("listbox").get_by_role("option")
    expect(options.first).to_contain_text("Schilderen van gebouwen")
    expect(search).to_have_attribute("aria-expanded", "true")
    search.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(search).to_have_attribute("aria-activedescendant", re.compile(r"_option_0$"))
    assert_accessible(page)
    search.press("Enter")

    expect(codes).to_have_value("45442110-1")
    chips = page.get_by_role("list", name="Chosen activities")
    expect(chips).to_contain_text("Schilderen van gebouwen")
    expect(search).to_have_attribute("aria-expanded", "false")
    expect(search).to_be_focused()

    search.fill("4544210")
    expect(options.first).to_contain_text("45442100-8")
    search.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()

    codes.press("End")
    codes.press_sequentially(" 45000000")
    expect(chips.get_by_role("listitem")).to_have_count(2)
    page.get_by_role("button", name="Remove 45442110-1 Schilderen van gebouwen").click()
    expect(codes).to_have_value("45000000")
    expect(chips.get_by_role("listitem")).to_have_count(1)
    assert console_errors == []


def test_mistakes_are_listed_above_the_form_and_nothing_typed_is_lost(
    page: Page, live_server, newcomer, console_errors
):
    open_registration(page, live_server, newcomer)

    page.get_by_label("KvK number").fill("1234567")
    page.get_by_label("Firm name").fill("Verfwerk Gijs")
    page.get_by_label("Street").fill("Voorstraat")
    page.get_by_label("House number").fill("12")
    page.get_by_label("Postcode").fill("3311ab")
    page.get_by_label("Activities (CPV codes)").fill("45442100, 12345678")
    page.get_by_role("button", name="Register firm").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("A KvK number has exactly 8 digits.")
    expect(summary).to_contain_text("Unknown CPV code: 12345678.")
    expect(page.get_by_label("Firm name")).to_have_value("Verfwerk Gijs")
    expect(page.get_by_label("Activities (CPV codes)")).to_have_value("45442100, 12345678")
    expect(summary.get_by_role("link", name="KvK number")).to_have_attribute(
        "href", "#id_kvk_number"
    )
    assert_accessible(page)
    assert console_errors == []
