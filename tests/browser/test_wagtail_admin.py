"""The Wagtail admin in a real browser, under the site's strict CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_editor_logs_in_to_the_admin_and_opens_the_home_page_editor(
    page: Page, live_server, editor, console_errors
):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("E-mailadres").fill(editor.email)
    # Wagtail's own login form labels the password field in English even in Dutch.
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto(live_server.url + "/admin/pages/")
    page.get_by_role("link", name="Dichtbij").first.click()
    expect(page.get_by_role("textbox", name="Titel*", exact=True)).to_have_value("Dichtbij")
    # The publishing schedule's date pickers are set up by Wagtail's inline scripts.
    page.get_by_role("button", name="Meer acties").click()
    assert console_errors == []
