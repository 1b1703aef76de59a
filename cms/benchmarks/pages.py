"""The association's pages in ``benchmark pages`` (issue 13): /speerpunten/, a speerpunt with three
live figures, and the booklet of ten speerpunten, cold and cached, against a trivial view.

Like the tender pages it runs in a throwaway database (reference data, a small demo world, the
demo tree plus four more speerpunten); every request goes through the test client, so a figure
is server time. Targets (reported, never asserted): a page within 5x the trivial view, the cached
booklet within 3x, each cold build under the previous build's time plus 20%.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings

from cms.demo.content import figure, paragraph
from cms.models import SpeerpuntenIndexPage, SpeerpuntPage
from cms.pdf import booklet_cache_key
from marketplace.reference_data import reference_data_load
from suppliers.benchmarks.measuring import ms, ratio, throwaway_database
from tenders.benchmarks.pages import TRIVIAL_URL

THREE_FIGURES = "drie-cijfers"
PAGES = {
    "trivial": TRIVIAL_URL,
    "speerpunten": "/speerpunten/",
    "speerpunt_three_figures": f"/speerpunten/{THREE_FIGURES}/",
    "booklet_cached": "/speerpunten/boekje.pdf",
}
PAGE_RATIO = 5.0
BOOKLET_CACHED_RATIO = 3.0
COLD_GROWTH = 1.2


def _extra_speerpunten(index: SpeerpuntenIndexPage) -> None:
    """Up to ten speerpunten, one of them with three live figures."""
    extra = [
        (
            THREE_FIGURES,
            "Drie cijfers",
            [
                figure("open_tenders_cpv", "open bouwopdrachten", cpv_division="45"),
                figure("firms_region", "bedrijven in de Drechtsteden", region="drechtsteden"),
                figure("local_share", "lokaal aandeel", municipality="GM0505", year=2025),
            ],
        ),
        ("samen-aanbesteden", "Samen aanbesteden", [paragraph("Percelen voor het mkb.")]),
        ("digitaal-ondernemen", "Digitaal ondernemen", [paragraph("Snel internet overal.")]),
        ("veilig-werken", "Veilig werken", [paragraph("Veilige bedrijventerreinen.")]),
    ]
    for slug, title, body in extra:
        if not index.get_children().filter(slug=slug).exists():
            page = SpeerpuntPage(title=title, slug=slug, summary=f"{title}.", body=body)
            index.add_child(instance=page)
            page.save_revision().publish()


def _measure(client: Client, url: str, runs: int, before: Callable[[], None] | None = None):
    walls, statuses = [], set()
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter_ns()
        response = client.get(url)
        walls.append(time.perf_counter_ns() - started)
        statuses.add(response.status_code)
    return walls, statuses


def cms_pages_benchmark(*, runs: int = 30, cold_runs: int = 5, log=print) -> dict:
    """Measure the cms pages and the booklet; the report as a dict."""
    with throwaway_database(log):
        reference_data_load()
        call_command(
            "seed_demo",
            *("--suppliers", "50", "--tenders", "40", "--history", "0", "--json"),
            stdout=io.StringIO(),
        )
        index = SpeerpuntenIndexPage.objects.get()
        _extra_speerpunten(index)
        speerpunten = index.speerpunten().count()
        with override_settings(
            ROOT_URLCONF="tenders.benchmarks.pages",
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        ):
            client = Client()
            for url in PAGES.values():
                client.get(url)  # warm-up, and the booklet's first build
            rows = {}
            for name, url in PAGES.items():
                walls, statuses = _measure(client, url, runs)
                rows[name] = {"url": url, "statuses": sorted(statuses), "walls": walls}
            builds = []

            def forget() -> None:
                entry = cache.get(booklet_cache_key(index))
                builds.append(entry["seconds"] if entry else None)
                cache.delete(booklet_cache_key(index))

            walls, statuses = _measure(client, PAGES["booklet_cached"], cold_runs, forget)
            rows["booklet_cold"] = {
                "url": PAGES["booklet_cached"],
                "statuses": sorted(statuses),
                "walls": walls,
            }
    return _report(rows, builds, speerpunten, runs, cold_runs)


def _report(rows: dict, builds: list, speerpunten: int, runs: int, cold_runs: int) -> dict:
    base50, base95 = ms(rows["trivial"]["walls"], 0.5), ms(rows["trivial"]["walls"], 0.95)
    pages = {}
    for name, row in rows.items():
        p50, p95 = ms(row["walls"], 0.5), ms(row["walls"], 0.95)
        pages[name] = {
            "url": row["url"],
            "statuses": row["statuses"],
            "p50_ms": p50,
            "p95_ms": p95,
            "ratio_p50": ratio(p50, base50),
            "ratio_p95": ratio(p95, base95),
        }
    cold = [wall / 1e9 for wall in rows["booklet_cold"]["walls"]]
    # Each cold build against the build before it (the first against the warm-up's build).
    growth = [round(now / before, 2) for now, before in zip(cold, builds, strict=True) if before]
    limits = {"speerpunten": PAGE_RATIO, "speerpunt_three_figures": PAGE_RATIO}
    targets = {name: pages[name]["ratio_p95"] <= limit for name, limit in limits.items()}
    targets["booklet_cached"] = pages["booklet_cached"]["ratio_p95"] <= BOOKLET_CACHED_RATIO
    targets["booklet_cold"] = all(value <= COLD_GROWTH for value in growth)
    return {
        "speerpunten": speerpunten,
        "runs": runs,
        "cold_runs": cold_runs,
        "pages": pages,
        "booklet_cold_vs_previous_build": growth,
        "targets_met": targets,
    }


def format_cms_report(report: dict) -> str:
    lines = [f"cms pages ({report['speerpunten']} speerpunten, {report['runs']} runs):"]
    lines.append(f"{'page':<26}{'p50 ms':>10}{'p95 ms':>10}{'x p50':>8}{'x p95':>8}")
    for name, row in report["pages"].items():
        lines.append(
            f"{name:<26}{row['p50_ms']:>10.2f}{row['p95_ms']:>10.2f}"
            f"{row['ratio_p50'] or 0:>8.2f}{row['ratio_p95'] or 0:>8.2f}"
        )
    lines.append(f"cold booklet / previous build: {report['booklet_cold_vs_previous_build']}")
    lines.append(f"targets met: {report['targets_met']}")
    return "\n".join(lines)
