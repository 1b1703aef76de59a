"""The supplier search benchmark (DESIGN §8): ``python manage.py benchmark search``.

It never touches the developer's data: firms are generated into a throwaway database created the
way Django's test runner does it (a temporary file for SQLite, ``benchmark_<name>_<pid>`` on
PostgreSQL) and into an Elasticsearch index of its own (``dichtbij-benchmark-…``); both are removed
at the end, also after an error, Ctrl-C or (with the command's handler) SIGTERM.

Firms are spread over the municipalities by a population proxy built from the 4-digit postcode
areas: every postcode area weighs ``min(n, 4)``, where ``n`` is the number of postcode areas of its
place (woonplaats). A city postcode area holds some 10,000 people, a village's one or two
thousand; summed per municipality this proxy follows CBS population figures closely (log-log
correlation 0.97 over 41 municipalities, slope 1.0), where the plain count of postcode areas does
not (0.85: Frisian municipalities have a postcode area per village).

A fixed query mix (``QUERY_MIX``) runs against every backend and against a naive baseline — the
Django ORM with ``icontains`` and a CPV ``startswith`` join, every match fetched and ranked in
Python — interleaved run by run, first with a tenth of the firms and then with all of them.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from django.db import connection
from django.db.models import Q
from tqdm import tqdm

from marketplace.geo import distance_km
from marketplace.models import CpvCode, Municipality, Organisation, Postcode, cpv_prefix
from marketplace.reference_data import reference_data_load
from suppliers.models import Firm, FirmCpvEntry, FirmIndexEntry, FirmMatchEntry
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

# The firms -----------------------------------------------------------------------------------


class TradeLike(Protocol):
    prefix: str
    suffix: str
    description: str
    cpv_codes: tuple[str, ...]


@dataclass(frozen=True)
class FirmVocabulary:
    """What generated firms are made of (the command passes the demo data of tenders.demo)."""

    trades: Sequence[TradeLike]
    surnames: Sequence[str]
    streets: Sequence[str]


@dataclass(frozen=True)
class RareTrade:
    prefix: str = "Torenuurwerkmaker"
    suffix: str = "Torenuurwerken"
    description: str = "Onderhoud en restauratie van torenuurwerken, luidklokken en carillons."
    cpv_codes: tuple[str, ...] = ("45454100", "50000000")


RARE_TRADE = RareTrade()
RARE_EVERY = 10_000  # one firm in 10,000: a handful at 100,000, one at 10,000
RARE_OFFSET = 7
# Construction is the largest group of firms that bid for municipal work; these weights make
# "bouw" (bouwbedrijf, bouwtimmerwerk, bouwkunde, bouwwerkzaamheden) match about a third of them.
TRADE_WEIGHTS = {
    "Bouwbedrijf": 3.0,
    "Timmerbedrijf": 2.0,
    "Schildersbedrijf": 2.0,
    "Installatiebedrijf": 2.0,
    "Elektrotechniek": 1.5,
    "Drukkerij": 0.5,
    "Catering": 0.5,
    "Verhuisbedrijf": 0.5,
    "Beveiliging": 0.5,
}
GENERAL_CONSTRUCTION = "45000000"  # some specialists also list the whole construction division
GENERAL_CONSTRUCTION_SHARE = 0.1
EXTRA_SENTENCES = [
    "",
    "",
    "Erkend leerbedrijf.",
    "Familiebedrijf sinds 1987.",
    "Werkt met vaste onderaannemers uit de regio.",
    "VCA-gecertificeerd.",
    "Ook voor particulieren.",
]
POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
BATCH = 2000


@dataclass(frozen=True)
class Place:
    postcode: str
    municipality: str
    name: str
    latitude: float
    longitude: float


def places_and_weights() -> tuple[list[Place], list[float]]:
    """Every postcode area, weighted by ``min(n, 4)`` with n the postcode areas of its place."""
    places = [
        Place(*row)
        for row in Postcode.objects.order_by("code").values_list(
            "code", "municipality_id", "place", "latitude", "longitude"
        )
    ]
    per_place = Counter((p.municipality, p.name) for p in places)
    weights = [float(min(per_place[(p.municipality, p.name)], 4)) for p in places]
    return places, weights


class FirmGenerator:
    """A deterministic stream of firms: the first n of a seed are the same for any total."""

    def __init__(self, vocabulary: FirmVocabulary, total: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.vocabulary = vocabulary
        self.places, weights = places_and_weights()
        self.cum_places = list(_cumulative(weights))
        self.trades = list(vocabulary.trades)
        self.cum_trades = list(_cumulative(TRADE_WEIGHTS.get(t.prefix, 1.0) for t in self.trades))
        self.kvk_numbers = self.rng.sample(range(10_000_000, 100_000_000), total)
        self.cpv_codes = set(CpvCode.objects.values_list("code", flat=True))
        self.made = 0

    def insert(self, count: int, bar: tqdm) -> None:
        """Create the next ``count`` firms in the database (organisation, firm, CPV codes)."""
        end = self.made + count
        while self.made < end:
            size = min(BATCH, end - self.made)
            self._insert_batch([self._spec(self.made + i) for i in range(size)])
            self.made += size
            bar.update(size)

    def _spec(self, number: int) -> dict:
        rng = self.rng
        if number % RARE_EVERY == RARE_OFFSET:
            trade: TradeLike = RARE_TRADE
        else:
            trade = rng.choices(self.trades, cum_weights=self.cum_trades)[0]
        surname = rng.choice(self.vocabulary.surnames)
        name = f"{trade.prefix} {surname}" if rng.random() < 0.6 else f"{surname} {trade.suffix}"
        place = rng.choices(self.places, cum_weights=self.cum_places)[0]
        codes = [code for code in trade.cpv_codes if code in self.cpv_codes]
        if trade.cpv_codes[0].startswith("45") and GENERAL_CONSTRUCTION not in codes:
            if rng.random() < GENERAL_CONSTRUCTION_SHARE:
                codes.append(GENERAL_CONSTRUCTION)
        letters = "".join(rng.choice(POSTCODE_LETTERS) for _ in range(2))
        return {
            "number": number,
            "name": name,
            "kvk_number": str(self.kvk_numbers[number]),
            "description": f"{trade.description} {rng.choice(EXTRA_SENTENCES)}".strip(),
            "street": rng.choice(self.vocabulary.streets),
            "house_number": str(rng.randint(1, 250)),
            "place": place,
            "postcode": f"{place.postcode} {letters}",
            "cpv_codes": codes,
            "employees": _employees(rng),
            "open_to_partnerships": rng.random() < 0.3,
            "published": rng.random() < 0.98,
        }

    @staticmethod
    def _insert_batch(specs: list[dict]) -> None:
        organisations = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=spec["name"],
                    slug=f"benchmark-{spec['number']}",
                    kind=Organisation.Kind.FIRM,
                )
                for spec in specs
            ],
            batch_size=BATCH,
        )
        firms = []
        for organisation, spec in zip(organisations, specs, strict=True):
            place: Place = spec["place"]
            firms.append(
                Firm(
                    organisation_id=organisation.pk,
                    kvk_number=spec["kvk_number"],
                    description=spec["description"],
                    street=spec["street"],
                    house_number=spec["house_number"],
                    postcode=spec["postcode"],
                    place=place.name,
                    postcode_area_id=place.postcode,
                    municipality_id=place.municipality,
                    latitude=place.latitude,
                    longitude=place.longitude,
                    employees=spec["employees"],
                    open_to_partnerships=spec["open_to_partnerships"],
                    published=spec["published"],
                )
            )
        Firm.objects.bulk_create(firms, batch_size=BATCH)
        through = Firm.cpv_codes.through
        through.objects.bulk_create(
            [
                through(firm_id=organisation.pk, cpvcode_id=code)
                for organisation, spec in zip(organisations, specs, strict=True)
                for code in spec["cpv_codes"]
            ],
            batch_size=BATCH,
        )


def _cumulative(weights) -> Iterator[float]:
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def _employees(rng: random.Random) -> int:
    draw = rng.random()
    if draw < 0.6:
        return rng.randint(1, 9)
    if draw < 0.9:
        return rng.randint(10, 49)
    if draw < 0.99:
        return rng.randint(50, 249)
    return rng.randint(250, 1500)


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


# Isolation -----------------------------------------------------------------------------------


@contextmanager
def throwaway_database(log: Callable[[str], None]) -> Iterator[str]:
    """Switch the default connection to a new, migrated database; drop it afterwards."""
    settings_dict = connection.settings_dict
    old_name = settings_dict["NAME"]
    old_test_name = settings_dict["TEST"].get("NAME")
    folder = None
    if connection.vendor == "sqlite":
        # A file, not :memory:, so that it behaves like the real thing.
        folder = tempfile.mkdtemp(prefix="dichtbij-benchmark-")
        name = os.path.join(folder, "benchmark.sqlite3")
    else:
        name = f"benchmark_{old_name}_{os.getpid()}"
    settings_dict["TEST"]["NAME"] = name
    log(f"Creating the throwaway database {name} (migrations take a while)…")
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        yield name
    finally:
        # Only ever drop the throwaway database, never the one we started with.
        if settings_dict["NAME"] == name != old_name:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        settings_dict["TEST"]["NAME"] = old_test_name
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


FIRM_MODELS = (
    Organisation,
    Firm,
    Firm.cpv_codes.through,
    FirmIndexEntry,
    FirmCpvEntry,
    FirmMatchEntry,
)


def vacuum_analyse(models=FIRM_MODELS) -> None:
    """PostgreSQL: what autovacuum would have done by the time anyone searches or browses."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {', '.join(m._meta.db_table for m in models)}")


# Measuring -----------------------------------------------------------------------------------


@dataclass
class Samples:
    wall_ns: list[int] = field(default_factory=list)
    took_ms: list[int] = field(default_factory=list)
    matches: int = 0


def percentile(values: Sequence[float], share: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


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
    vocabulary: FirmVocabulary,
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
            generator = FirmGenerator(vocabulary, config.suppliers, config.seed)
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


def progress_bar(
    total: int, desc: str, disable: bool, *, initial: int = 0, unit: str = "firm"
) -> tqdm:
    # On sys.stderr itself: Django's self.stderr wrapper would add a newline to every refresh.
    return tqdm(
        total=total, initial=initial, unit=unit, desc=desc, file=sys.stderr, disable=disable
    )


def ms(values_ns: Sequence[int], share: float) -> float:
    return round(percentile(values_ns, share) / 1e6, 3)


def ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 2) if denominator > 0 else None


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
