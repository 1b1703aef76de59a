"""The browser harness: Playwright driving Chromium, plus axe-core for accessibility.

Chromium is Debian's at /usr/bin/chromium where it is installed, else Playwright's own (``make
test`` runs ``playwright install chromium`` then). axe-core comes from the axe-playwright-python
package, which ships axe.min.js (MPL 2.0), so no Node.js is needed.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import pytest
from playwright.sync_api import Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SOURCE = files("axe_playwright_python") / "axe.min.js"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():  # Playwright's own Chromium (playwright install chromium)
        return {**browser_type_launch_args, "args": CHROMIUM_ARGS}
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """Every console error, page error and failed request, CSP violations included."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return errors


WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


def axe_violations(
    page: Page,
    impacts: tuple[str, ...] = ("serious", "critical"),
    tags: tuple[str, ...] = WCAG_TAGS,
) -> list[dict]:
    """Run axe-core (by default its WCAG 2.1 A/AA rules) on the page; the violations of the
    given impacts.

    axe is evaluated through the DevTools protocol, which the page's CSP does not govern, so the
    page keeps its real CSP during the check."""
    page.evaluate(AXE_SOURCE.read_text() + "\n;undefined")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        list(tags),
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)


def log_in(page: Page, live_server, email: str, password: str) -> None:
    """Log in through the real login form."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Inloggen").click()


@pytest.fixture(autouse=True)
def _baseline(baseline_data):
    """Browser tests run in transactions the live server can see; each starts from the baseline."""
