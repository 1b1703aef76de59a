"""axe-core's best practices beyond WCAG on the pages everyone sees: each landmark (navigation,
region, …) once or with its own name (issue 17 point 12), headings in order."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import axe_violations
from tests.tenders.factories import TenderFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ALL_IMPACTS = ("minor", "moderate", "serious", "critical")


def best_practice_violations(page: Page) -> list[dict]:
    return axe_violations(page, impacts=ALL_IMPACTS, tags=("best-practice",))


def test_public_pages_have_unique_landmarks(page: Page, live_server):
    tender = TenderFactory(published=True, title="Schilderwerk stadskantoor")
    for path in ["/", "/tenders/", f"/tenders/{tender.pk}/", "/suppliers/", "/monitor/"]:
        page.goto(live_server.url + path)
        found = [v for v in best_practice_violations(page) if v["id"].startswith("landmark")]
        assert found == [], f"{path}: {json.dumps(found, indent=2)}"


def test_the_check_finds_two_navigations_with_one_name(page: Page, live_server):
    page.goto(live_server.url + "/")
    page.evaluate(
        """() => {
            const nav = document.createElement('nav');
            nav.setAttribute('aria-label', 'Hoofdmenu');
            nav.textContent = 'nog een menu';
            document.body.appendChild(nav);
        }"""
    )
    assert "landmark-unique" in {v["id"] for v in best_practice_violations(page)}
