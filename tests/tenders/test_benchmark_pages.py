"""Smoke test of ``manage.py benchmark pages``: it runs end to end with tiny numbers, every page it
measures answers 200, and it reports figures against the trivial view.

Nothing here asserts on speed (DESIGN §8). Like the search benchmark's test it runs the command in
a subprocess, as a developer would, because it creates and drops a database of its own; it uses
whatever DATABASE_URL this test run uses.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tenders.benchmarks.pages import BASELINE, PAGES, TRIVIAL_URL

PROJECT = Path(__file__).resolve().parents[2]
TENDER_LISTS = {page.name for page in PAGES if page.tender_list}


def positive(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> subprocess.CompletedProcess:
    folder = tmp_path_factory.mktemp("benchmark-pages")
    env = {**os.environ, "TMPDIR": str(folder / "tmp")}
    (folder / "tmp").mkdir()
    if not os.environ.get("DATABASE_URL"):
        # A developer database that must never be created or touched.
        env["DATABASE_URL"] = f"sqlite:///{folder / 'developer.sqlite3'}"
    completed = subprocess.run(
        [sys.executable, "manage.py", "benchmark", "pages", "--json", "-v", "0"]
        + ["--tenders", "50", "--suppliers", "200", "--runs", "2", "--warmup", "1"]
        + ["--monitor-lines", "100,300"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert not (folder / "developer.sqlite3").exists()
    assert list((folder / "tmp").iterdir()) == [], "the throwaway database was left behind"
    return completed


@pytest.fixture(scope="module")
def report(run) -> dict:
    return json.loads(run.stdout)


def test_the_benchmark_succeeds(run):
    assert run.returncode == 0, run.stderr


def test_the_report_says_what_was_measured(report):
    assert report["tenders"] == report["counts"]["tenders"] == 50
    assert report["suppliers"] == report["counts"]["firms"] == 200
    assert report["runs"] == 2
    assert report["warmup"] == 1
    assert report["engine"] in {"sqlite", "postgresql"}
    assert report["baseline"] == BASELINE == "trivial"
    assert set(report["pages"]) == {page.name for page in PAGES}
    assert report["pages"]["trivial"]["url"] == TRIVIAL_URL
    assert report["pages"]["tender_list"]["url"] == "/tenders/"
    assert report["pages"]["supplier_search"]["url"] == "/suppliers/?q=schilder&near=GM0505"
    assert 0 < report["counts"]["tenders_public"] < 50


def test_every_measured_page_answered_200(report):
    for name, row in report["pages"].items():
        assert row["statuses"] == {"200": 3}, (name, row["statuses"])  # warm-up + 2 runs
        assert row["bytes"] > 0, name
    assert report["all_ok"] is True


def test_every_figure_is_a_positive_number(report):
    for name, row in report["pages"].items():
        for key in ("p50_ms", "p95_ms", "ratio_p50", "ratio_p95"):
            assert positive(row[key]), (name, key, row[key])
        assert row["p95_ms"] >= row["p50_ms"], name
    assert report["pages"]["trivial"]["ratio_p50"] == 1.0
    assert all(positive(seconds) for seconds in report["setup_s"].values())


def test_the_tender_lists_are_judged_against_the_targets(report):
    judged = {name for name, row in report["pages"].items() if "targets" in row}

    assert judged == TENDER_LISTS
    for name in judged:
        assert report["pages"][name]["matches"] >= 0, name  # None: the page refused its filters
        targets = report["pages"][name]["targets"]
        assert targets["p95_limit_ms"] == 100.0
        assert targets["ratio_limit"] == 5.0
        assert isinstance(targets["p95_met"], bool)
        assert isinstance(targets["ratio_met"], bool)
    assert isinstance(report["targets_met"], bool)


def test_the_detail_page_measured_is_a_public_tender(report):
    url = report["pages"]["tender_detail"]["url"]

    assert url.startswith("/tenders/") and url.removeprefix("/tenders/").strip("/").isdigit()


def test_the_association_pages_and_the_booklet_are_measured_too(report):
    cms = report["cms"]

    assert cms["speerpunten"] == 10
    assert set(cms["pages"]) == {
        "trivial",
        "speerpunten",
        "speerpunt_three_figures",
        "booklet_cached",
        "booklet_cold",
    }
    for name, row in cms["pages"].items():
        assert row["statuses"] == [200], name
        assert positive(row["p50_ms"]) and positive(row["p95_ms"]), name
    assert cms["pages"]["booklet_cold"]["p50_ms"] > cms["pages"]["booklet_cached"]["p50_ms"]
    assert set(cms["targets_met"]) == {
        "speerpunten",
        "speerpunt_three_figures",
        "booklet_cached",
        "booklet_cold",
    }


def test_the_monitor_page_is_measured_at_each_size_with_the_import(report):
    monitor = report["monitor"]
    assert list(monitor["sizes"]) == ["100", "300"]
    large = monitor["sizes"]["300"]
    assert large["contracts"] + large["spend_lines"] == 300
    for name in ("monitor", "monitor_cold"):
        assert large[name]["statuses"] == {"200": 3}  # warm-up included
        assert positive(large[name]["p95_ms"])
        assert positive(large[name]["growth_p95"])
    assert [run["lines"] for run in monitor["imports"]] == [90, 180]
    assert all(run["created"] == run["lines"] for run in monitor["imports"])
    assert all(positive(run["lines_per_s"]) for run in monitor["imports"])
