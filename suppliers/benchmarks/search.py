"""The supplier search benchmark (DESIGN §8): ``python manage.py benchmark search``.

Firms (``firms``) are generated into a throwaway database (``measuring.throwaway_database``) and
into an Elasticsearch index of its own (``dichtbij-benchmark-…``); both are removed at the end,
also after an error, Ctrl-C or (with the command's handler) SIGTERM.

A fixed query mix (``QUERY_MIX``) runs against every backend and against a naive baseline — the
Django ORM with ``icontains`` and a CPV ``startswith`` join, every match fetched and ranked in
Python — interleaved run by run, first with a tenth of the firms and then with all of them.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection
from django.db.models import Q
from tqdm import tqdm

from marketplace.geo import distance_km
from marketplace.models import Municipality, cpv_prefix
from marketplace.reference_data import reference_data_load
from suppliers.benchmarks.firms import FirmGenerator
from suppliers.benchmarks.measuring import (
    ms,
    percentile,
    progress_bar,
    ratio,
    throwaway_database,
    vacuum_analyse,
)
from suppliers.models import Firm
from suppliers.search.base import SearchBackend
from suppliers.search.database import DatabaseBackend
from suppliers.search.query import Context, SearchQuery
from suppliers.search.text import fold

# The query mix -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchmarkQuery:
    kind: str
    text: str
    cpv: tuple[str, ...]
    near: str  # context municipality
    selective: bool = True


QUERY_MIX = [
    BenchmarkQuery("text", "schilder", (), "GM0505"),  # Dordrecht
    BenchmarkQuery("cpv", "", ("45442100",), "GM0363"),  # Amsterdam
    BenchmarkQuery("text_cpv", "dak", ("45200000",), "GM1729"),  # Gulpen-Wittem, rural
    BenchmarkQuery("common_word", "bouw", (), "GM0505", selective=False),
    BenchmarkQuery("rare_word", "torenuurwerk", (), "GM1729"),
]

# Targets (issue 3) at 100,000 firms for the database backend: reported, never asserted.
TARGET_P95_SELECTIVE_MS = 50.0
TARGET_P95_COMMON_MS = 150.0
TARGET_SPEEDUP = 10.0
TARGET_GROWTH = 3.0
GROWTH_DIVISOR = 10  # the small step has a tenth of the firms


# The naive baseline --------------------------------------------------------------------------


def baseline_search(query: SearchQuery) -> int:
    """What one would write without a search index: ``icontains`` on name and description, the
    CPV subtree by ``startswith`` on the firm's codes, every match fetched, tier and distance
    computed and sorted in Python with the same keys (tier, name match as the only relevance,
    distance, name, KvK number), the top ``limit`` taken. Returns the number of matches."""
    firms = Firm.objects.filter(published=True).order_by()
    query_words = query.words
    for word in query_words:
        firms = firms.filter(Q(organisation__name__icontains=word) | Q(description__icontains=word))
    if query.cpv:
        subtree = Q()
        for code in query.cpv:
            subtree |= Q(cpv_codes__code__startswith=cpv_prefix(code))
        firms = firms.filter(subtree).distinct()
    rows = list(
        firms.values_list(
            "kvk_number",
            "organisation__name",
            "municipality_id",
            "municipality__region_id",
            "latitude",
            "longitude",
        )
    )
    context = Context.for_query(query)
    ranked = []
    for kvk, name, municipality, region, latitude, longitude in rows:
        name_match = bool(query_words) and all(word in fold(name) for word in query_words)
        if context is None:
            ranked.append((not name_match, name, kvk))
            continue
        distance = distance_km(context.latitude, context.longitude, latitude, longitude)
        tier = context.tier_of(municipality, region, distance)
        ranked.append((tier, not name_match, distance, name, kvk))
    ranked.sort()
    del ranked[query.offset + query.limit :]
    return len(rows)


# Elasticsearch, with the server's own timing -------------------------------------------------


def _elasticsearch_backend(url: str, index_name: str) -> SearchBackend:
    """An ElasticsearchBackend whose client remembers each search response's ``took``."""
    from elasticsearch import Elasticsearch

    from suppliers.search.elasticsearch import ElasticsearchBackend

    class TookRecordingClient(Elasticsearch):
        last_took: int | None = None

        def search(self, *args, **kwargs):
            response = super().search(*args, **kwargs)
            self.last_took = response.body.get("took")
            return response

    class BenchmarkElasticsearchBackend(ElasticsearchBackend):
        @cached_property
        def client(self) -> Elasticsearch:
            # A generous timeout: the benchmark measures slow queries instead of failing them.
            return TookRecordingClient(self.url, request_timeout=120, max_retries=0)

    return BenchmarkElasticsearchBackend(url, index_name)


def elasticsearch_check(url: str) -> str:
    """The cluster's health status; raises when the cluster does not answer."""
    from elasticsearch import Elasticsearch

    client = Elasticsearch(url, request_timeout=10, max_retries=0)
    try:
        return client.cluster.health(wait_for_status="yellow", timeout="10s")["status"]
    finally:
        client.close()


# Measuring ---------------------------------------------------------------------------------------


@dataclass
class Samples:
    wall_ns: list[int] = field(default_factory=list)
    took_ms: list[int] = field(default_factory=list)
    matches: int = 0


def measure(
    runners: dict[str, Callable[[SearchQuery], int]],
    queries: dict[str, SearchQuery],
    *,
    runs: int,
    warmup: int,
    took: Callable[[], int | None] | None,
    bar: tqdm,
) -> dict[str, dict[str, Samples]]:
    """Time every runner on every query; runs are interleaved so that a noisy moment on a
    shared machine hits all backends alike. Warm-up runs are not recorded."""
    samples = {name: {kind: Samples() for kind in queries} for name in runners}
    for repetition in range(warmup + runs):
        for kind, query in queries.items():
            for name, run in runners.items():
                start = time.perf_counter_ns()
                matches = run(query)
                elapsed = time.perf_counter_ns() - start
                if repetition < warmup:
                    continue
                sample = samples[name][kind]
                sample.wall_ns.append(elapsed)
                sample.matches = matches
                if name == "elasticsearch" and took is not None:
                    sample.took_ms.append(took())
        bar.update(1)
    return samples


# The whole run -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchBenchmarkConfig:
    suppliers: int = 100_000
    runs: int = 30
    warmup: int = 5
    seed: int = 2026
    elasticsearch_url: str = ""
    progress: bool = True


def search_benchmark(
    config: SearchBenchmarkConfig,
    log: Callable[[str], None] = lambda message: None,
) -> dict:
    """Run the whole benchmark in a throwaway database and return the report (see
    ``docs/benchmarks.md`` for its shape)."""
    sizes = [max(1, config.suppliers // GROWTH_DIVISOR), config.suppliers]
    measured: dict[int, dict[str, dict[str, Samples]]] = {}
    setup_s: dict[str, float] = {}
    es_backend = None
    if config.elasticsearch_url:
        index_name = f"dichtbij-benchmark-{uuid.uuid4().hex[:12]}"
        es_backend = _elasticsearch_backend(config.elasticsearch_url, index_name)
    with throwaway_database(log) as database_name:
        try:
            engine = connection.vendor
            started = time.perf_counter()
            reference_data_load()
            setup_s["reference_data"] = time.perf_counter() - started
            generator = FirmGenerator(config.suppliers, config.seed)
            backends: dict[str, SearchBackend] = {"database": DatabaseBackend()}
            if es_backend is not None:
                backends["elasticsearch"] = es_backend
            for size in sizes:
                measured[size] = _step(config, generator, size, backends, setup_s, log)
        finally:
            if es_backend is not None:
                _delete_index(es_backend, log)
    log(f"Removed the throwaway database {database_name}.")
    return _report(config, engine, sizes, measured, setup_s)


def _delete_index(backend, log: Callable[[str], None]) -> None:
    try:
        backend.client.indices.delete(index=backend.index_name, ignore_unavailable=True)
    except Exception as error:  # noqa: BLE001 - never hide the error that brought us here
        log(
            f"Could not delete the Elasticsearch index {backend.index_name} ({error});"
            " delete it by hand."
        )
    finally:
        backend.client.close()


def _step(config, generator, size, backends, setup_s, log) -> dict[str, dict[str, Samples]]:
    disable = not config.progress
    log(f"Generating firms up to {size:,}…")
    started = time.perf_counter()
    with progress_bar(size, "firms", disable, initial=generator.made) as bar:
        generator.insert(size - generator.made, bar)
    setup_s[f"generate_{size}"] = time.perf_counter() - started
    for name, backend in backends.items():
        started = time.perf_counter()
        with progress_bar(size, f"index {name}", disable) as bar:
            backend.rebuild(progress=lambda done, bar=bar: bar.update(done - bar.n))
        setup_s[f"index_{name}_{size}"] = time.perf_counter() - started
    vacuum_analyse()

    municipalities = Municipality.objects.in_bulk([q.near for q in QUERY_MIX])
    queries = {
        q.kind: SearchQuery(text=q.text, cpv=q.cpv, near=municipalities[q.near]) for q in QUERY_MIX
    }
    runners: dict[str, Callable[[SearchQuery], int]] = {
        name: (lambda query, backend=backend: backend.search(backend.check_query(query)).count)
        for name, backend in backends.items()
    }
    runners["baseline"] = baseline_search
    took = None
    if "elasticsearch" in backends:
        client = backends["elasticsearch"].client

        def took() -> int | None:
            return client.last_took

    log(f"Measuring {size:,} firms: {config.warmup} warm-up + {config.runs} runs per query…")
    with progress_bar(
        config.warmup + config.runs, f"measure {size:,}", disable, unit="round"
    ) as bar:
        return measure(runners, queries, runs=config.runs, warmup=config.warmup, took=took, bar=bar)


def _report(config, engine, sizes, measured, setup_s) -> dict:
    small, large = sizes
    names = list(measured[large])
    figures: dict[str, dict[str, dict]] = {}
    for name in names:
        figures[name] = {}
        for q in QUERY_MIX:
            big, little = measured[large][name][q.kind], measured[small][name][q.kind]
            figures[name][q.kind] = {
                "p50_ms": ms(big.wall_ns, 0.5),
                "p95_ms": ms(big.wall_ns, 0.95),
                "p50_ms_small": ms(little.wall_ns, 0.5),
                "p95_ms_small": ms(little.wall_ns, 0.95),
                "growth": ratio(ms(big.wall_ns, 0.5), ms(little.wall_ns, 0.5)),
                "matches": big.matches,
                "matches_small": little.matches,
            }
    baseline = figures.pop("baseline")
    for name, per_kind in figures.items():
        for q in QUERY_MIX:
            row = per_kind[q.kind]
            row["speedup_vs_baseline"] = ratio(baseline[q.kind]["p50_ms"], row["p50_ms"])
            if name == "database":
                row["targets"] = _targets(q, row)
    report = {
        "suppliers": large,
        "suppliers_small": small,
        "engine": engine,
        "runs": config.runs,
        "warmup": config.warmup,
        "seed": config.seed,
        "queries": {
            q.kind: {"text": q.text, "cpv": list(q.cpv), "near": q.near, "selective": q.selective}
            for q in QUERY_MIX
        },
        "results": figures,
        "baseline": baseline,
        "setup_s": {key: round(value, 2) for key, value in setup_s.items()},
    }
    if "elasticsearch" in figures:
        took = {}
        for q in QUERY_MIX:
            big = measured[large]["elasticsearch"][q.kind].took_ms
            little = measured[small]["elasticsearch"][q.kind].took_ms
            took[q.kind] = {
                "p50_ms": round(percentile(big, 0.5), 1),
                "p95_ms": round(percentile(big, 0.95), 1),
                "p50_ms_small": round(percentile(little, 0.5), 1),
                "p95_ms_small": round(percentile(little, 0.95), 1),
                "growth": ratio(percentile(big, 0.5), percentile(little, 0.5)),
            }
        report["elasticsearch_took_ms"] = took
    return report


def _targets(query: BenchmarkQuery, row: dict) -> dict:
    p95_limit = TARGET_P95_SELECTIVE_MS if query.selective else TARGET_P95_COMMON_MS
    speedup, growth = row["speedup_vs_baseline"], row["growth"]
    return {
        "p95_limit_ms": p95_limit,
        "p95_met": row["p95_ms"] <= p95_limit,
        "speedup_met": speedup is not None and speedup >= TARGET_SPEEDUP,
        "growth_met": growth is not None and growth <= TARGET_GROWTH,
    }
