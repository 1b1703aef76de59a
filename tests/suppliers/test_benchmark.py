"""Smoke test of ``manage.py benchmark``: it runs end to end with tiny numbers and reports figures.

Nothing here asserts on speed (DESIGN §8): the command measures, tests only check that it works.
The benchmark runs in a subprocess, as a developer would run it, because it creates and drops a
database of its own; it uses whatever DATABASE_URL and ELASTICSEARCH_URL this test run uses.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from suppliers.benchmarks.search import QUERY_MIX

PROJECT = Path(__file__).resolve().parents[2]
TIMINGS = ["p50_ms", "p95_ms", "p50_ms_small", "p95_ms_small"]


def positive(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("benchmark")
    env = {**os.environ, "TMPDIR": str(folder / "tmp")}
    (folder / "tmp").mkdir()
    if not os.environ.get("DATABASE_URL"):
        # A developer database that must never be created or touched.
        env["DATABASE_URL"] = f"sqlite:///{folder / 'developer.sqlite3'}"
    completed = subprocess.run(
        [sys.executable, "manage.py", "benchmark", "search", "--json", "-v", "0"]
        + ["--suppliers", "300", "--runs", "3", "--warmup", "1"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr
    assert not (folder / "developer.sqlite3").exists()
    assert list((folder / "tmp").iterdir()) == [], "the throwaway database was left behind"
    return json.loads(completed.stdout)


def test_the_report_says_what_was_measured(report):
    assert report["suppliers"] == 300
    assert report["suppliers_small"] == 30
    assert report["runs"] == 3
    assert report["engine"] in {"sqlite", "postgresql"}
    kinds = {query.kind for query in QUERY_MIX}
    assert kinds == {"text", "cpv", "text_cpv", "common_word", "rare_word"}
    assert set(report["queries"]) == kinds
    expected = (
        {"database", "elasticsearch"} if os.environ.get("ELASTICSEARCH_URL") else {"database"}
    )
    assert set(report["results"]) == expected
    assert set(report["baseline"]) == kinds


def test_every_figure_is_a_positive_number(report):
    for backend, per_kind in report["results"].items():
        for kind, row in per_kind.items():
            for key in [*TIMINGS, "growth", "speedup_vs_baseline"]:
                assert positive(row[key]), (backend, kind, key, row[key])
            assert row["matches"] >= row["matches_small"] >= 0
    for kind, row in report["baseline"].items():
        for key in [*TIMINGS, "growth"]:
            assert positive(row[key]), ("baseline", kind, key, row[key])
    assert all(positive(seconds) for seconds in report["setup_s"].values())


def test_the_database_backend_is_judged_against_the_targets(report):
    for row in report["results"]["database"].values():
        assert set(row["targets"]) == {"p95_limit_ms", "p95_met", "speedup_met", "growth_met"}
        assert all(
            isinstance(row["targets"][key], bool) for key in row["targets"] if key != "p95_limit_ms"
        )


def test_the_generated_firms_make_common_words_common_and_rare_words_rare(report):
    rows = report["results"]["database"]
    assert rows["common_word"]["matches"] > rows["text"]["matches"]
    assert 0.2 * 300 <= rows["common_word"]["matches"] <= 0.4 * 300
    assert 1 <= rows["rare_word"]["matches"] <= 5


def test_backends_agree_on_how_many_firms_match(report):
    counts = {
        backend: {k: row["matches"] for k, row in rows.items()}
        for backend, rows in report["results"].items()
    }
    assert len({json.dumps(c, sort_keys=True) for c in counts.values()}) == 1


@pytest.mark.skipif(not os.environ.get("ELASTICSEARCH_URL"), reason="ELASTICSEARCH_URL is not set")
def test_elasticsearch_reports_the_servers_own_time_too(report):
    took = report["elasticsearch_took_ms"]
    assert set(took) == {query.kind for query in QUERY_MIX}
    for row in took.values():
        # Elasticsearch counts whole milliseconds: a tiny index may well answer in 0.
        assert all(row[key] >= 0 for key in TIMINGS)
