"""The page benchmark (DESIGN §8, issue 4): ``python manage.py benchmark pages``.

Server time of the public pages with 10,000 tenders and 100,000 firms, against a trivial Django
view measured in the same run. Like ``benchmark search`` it never touches the developer's data:
everything happens in a throwaway database (``suppliers.benchmarks.throwaway_database``).

Each request goes through ``django.test.Client`` in this process, so a figure is what the server
spends on a request — every middleware, the view, its queries and the template — without the
network and the browser. The trivial view (``trivial_view``) answers "ok" through the same
middleware stack: this module is also the URLconf the benchmark installs, the project's URLs
plus that one.
"""

from __future__ import annotations

import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

from django.db import connection
from django.http import HttpRequest, HttpResponse, QueryDict
from django.test import Client
from django.test.utils import override_settings
from django.urls import path
from django.utils import timezone
from tqdm import tqdm

from marketplace import urls as project_urls
from marketplace.models import Municipality, Organisation
from marketplace.reference_data import reference_data_load
from suppliers.benchmarks import (
    FIRM_MODELS,
    FirmGenerator,
    FirmVocabulary,
    ms,
    places_and_weights,
    progress_bar,
    ratio,
    throwaway_database,
    vacuum_analyse,
)
from suppliers.models import Firm
from suppliers.search import get_backend
from suppliers.search.database import DatabaseBackend
from tenders.demo import (
    CANCEL_REASONS,
    CRITERIA_SETS,
    QUESTIONS,
    TENDER_TEMPLATES,
    round_value,
    template_value,
    tender_wording,
)
from tenders.filters import TenderFilter
from tenders.models import (
    AwardCriteriaType,
    AwardCriterion,
    EuThreshold,
    Lot,
    Procedure,
    Question,
    Status,
    Tender,
)
from tenders.policy import DEFAULT_POLICY_BANDS
from tenders.selectors.visibility import public_tenders
from tenders.services import reference_prefix

# The URLconf the benchmark installs --------------------------------------------------------------

TRIVIAL_URL = "/benchmark/trivial/"


def trivial_view(request: HttpRequest) -> HttpResponse:
    """The baseline: what any Django page costs here before it does anything."""
    return HttpResponse("ok")


urlpatterns = [
    path(TRIVIAL_URL.strip("/") + "/", trivial_view, name="benchmark_trivial"),
    *project_urls.urlpatterns,
]

# The pages -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchmarkPage:
    name: str
    url: str  # "{tender}" becomes the measured tender's id
    tender_list: bool = False  # held to the targets
    cold: bool = False  # a new query string each time: a first visit, a cache miss


PAGES = [
    BenchmarkPage("trivial", TRIVIAL_URL),
    BenchmarkPage("tender_list", "/tenders/", tender_list=True),
    BenchmarkPage("tender_list_open", "/tenders/?status=open", tender_list=True),
    BenchmarkPage(
        "tender_list_filtered",  # text + CPV subtree + region (Zuid-Holland) + open only
        "/tenders/?q=onderhoud&cpv=45000000&region=PV28&status=open",
        tender_list=True,
    ),
    BenchmarkPage(
        "tender_list_municipality",  # text + CPV subtree + municipality (Amsterdam)
        "/tenders/?q=verharding&cpv=45233000&municipality=GM0363",
        tender_list=True,
    ),
    # The list's body is cached (tenders.caching); these show what a cache miss costs.
    BenchmarkPage("tender_list_cold", "/tenders/", cold=True),
    BenchmarkPage(
        "tender_list_filtered_cold",
        "/tenders/?q=onderhoud&cpv=45000000&region=PV28&status=open",
        cold=True,
    ),
    BenchmarkPage("tender_detail", "/tenders/{tender}/"),
    BenchmarkPage("supplier_search", "/suppliers/?q=schilder&near=GM0505"),
]
BASELINE = "trivial"

# Targets (issue 4) for the tender list: reported, never asserted.
TARGET_P95_MS = 100.0
TARGET_RATIO = 5.0

# The tenders -----------------------------------------------------------------------------------

# A municipal archive: most tenders are history, about a tenth takes quotes right now.
STATUS_WEIGHTS = {
    Status.DRAFT: 0.05,
    Status.PUBLISHED: 0.11,  # open: the quote deadline is ahead
    Status.CLOSED: 0.06,
    Status.OPENED: 0.03,
    Status.AWARDED: 0.15,
    Status.COMPLETED: 0.52,
    Status.CANCELLED: 0.05,
    Status.UNSUCCESSFUL: 0.03,
}
HISTORY_DAYS = 3 * 365
LOT_SHARE = 0.25
PRICE_QUALITY_SHARE = 0.5
QUESTION_SHARE = 0.15
BATCH = 2000


class TenderGenerator:
    """A deterministic stream of tenders from one buying organisation per municipality, spread
    over the municipalities like the firms (the postcode-area population proxy)."""

    def __init__(self, seed: int, now: datetime) -> None:
        self.rng = random.Random(f"{seed}:tenders")
        self.now = now
        self.today = timezone.localdate(now)
        places, weights = places_and_weights()
        per_municipality: dict[str, float] = defaultdict(float)
        areas: dict[str, list[str]] = defaultdict(list)
        for place, weight in zip(places, weights, strict=True):
            per_municipality[place.municipality] += weight
            if place.name and place.name not in areas[place.municipality]:
                areas[place.municipality].append(place.name)
        self.municipalities = {m.code: m for m in Municipality.objects.order_by("code")}
        self.codes = sorted(self.municipalities)
        self.weights = [per_municipality.get(code, 1.0) for code in self.codes]
        self.areas = {
            code: areas.get(code) or [self.municipalities[code].name] for code in self.codes
        }
        self.buyers = self._buyers()
        self.firm_ids = list(Firm.objects.filter(published=True).values_list("pk", flat=True))
        self.thresholds = {
            (row.contract_type, row.valid_from, row.valid_to): row.amount
            for row in EuThreshold.objects.all()
        }
        self.counters: Counter[tuple[str, int]] = Counter()
        self.made = 0

    def _buyers(self) -> dict[str, int]:
        existing = dict(
            Organisation.objects.filter(kind=Organisation.Kind.BUYER).values_list(
                "municipality_id", "pk"
            )
        )
        missing = [code for code in self.codes if code not in existing]
        Organisation.objects.bulk_create(
            Organisation(
                name=f"Gemeente {self.municipalities[code].name}",
                slug=f"benchmark-gemeente-{code.lower()}",
                kind=Organisation.Kind.BUYER,
                municipality_id=code,
            )
            for code in missing
        )
        return dict(
            Organisation.objects.filter(kind=Organisation.Kind.BUYER).values_list(
                "municipality_id", "pk"
            )
        )

    def procedure(self, contract_type: str, value: Decimal, on: date) -> Procedure:
        """What tenders.policy.procedure_proposal decides with the default policy bands (the
        benchmark's municipalities set none), without a query per tender."""
        known = sorted(
            (start, end, amount)
            for (kind, start, end), amount in self.thresholds.items()
            if kind == contract_type
        )
        # Before the oldest thresholds in the data (the history reaches back three years),
        # the oldest ones will do: they change by a few percent every two years.
        threshold = next(
            (amount for start, end, amount in known if start <= on <= end), known[0][2]
        )
        band = next(
            band
            for band in DEFAULT_POLICY_BANDS[contract_type]
            if band.max_value is None or value < band.max_value
        )
        legal = Procedure.EUROPEAN if value >= threshold else Procedure.SINGLE
        return Procedure.heaviest(legal, band.procedure)

    def insert(self, count: int, bar: tqdm) -> None:
        """Create the next ``count`` tenders with their CPV codes, lots, criteria, questions."""
        end = self.made + count
        while self.made < end:
            size = min(BATCH, end - self.made)
            self._insert_batch([self._spec() for _ in range(size)])
            self.made += size
            bar.update(size)

    def _spec(self) -> dict:
        rng = self.rng
        code = rng.choices(self.codes, weights=self.weights)[0]
        municipality = self.municipalities[code]
        template = rng.choices(TENDER_TEMPLATES, weights=[t.weight for t in TENDER_TEMPLATES])[0]
        value = template_value(template, rng)
        status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        if status == Status.DRAFT:
            quote_day = self.today + timedelta(days=rng.randint(20, 60))
        elif status == Status.PUBLISHED or (status == Status.CANCELLED and rng.random() < 0.3):
            quote_day = self.today + timedelta(days=rng.randint(3, 45))
        else:
            quote_day = self.today - timedelta(days=rng.randint(1, HISTORY_DAYS))
        question_day = quote_day - timedelta(days=rng.randint(6, 12))
        publish_day = min(question_day, self.today) - timedelta(days=rng.randint(3, 21))
        created_day = publish_day - timedelta(days=rng.randint(1, 14))
        lot_count = rng.randint(2, 3) if template.lots and rng.random() < LOT_SHARE else 0
        title, description, lot_titles = tender_wording(
            template,
            rng,
            place=municipality.name,
            areas=self.areas[code],
            year=quote_day.year - 1,
            lots=lot_count,
        )
        procedure = self.procedure(template.contract_type, value, publish_day)
        criteria = rng.choice(CRITERIA_SETS) if rng.random() < PRICE_QUALITY_SHARE else ()
        questions = []
        if status != Status.DRAFT and self.firm_ids and rng.random() < QUESTION_SHARE:
            questions = rng.sample(QUESTIONS, rng.randint(1, 3))
        return {
            "buyer": self.buyers[code],
            "prefix": reference_prefix(municipality.name),
            "municipality": code,
            "template": template,
            "title": title,
            "description": description,
            "value": value,
            "procedure": procedure,
            "status": status,
            "quote_deadline": _noon(quote_day),
            "question_deadline": _noon(question_day),
            "published_at": None if status == Status.DRAFT else _noon(publish_day, 10),
            "created_at": _noon(created_day, 9),
            "tenderned": str(rng.randint(300_000, 425_000)) if procedure.needs_tenderned else "",
            "cancel_reason": rng.choice(CANCEL_REASONS) if status == Status.CANCELLED else "",
            "lots": [
                (lot_title, round_value(float(value) / len(lot_titles)), rng.random() < 0.5)
                for lot_title in lot_titles
            ],
            "criteria": criteria,
            "questions": [
                (question, answer, rng.choice(self.firm_ids)) for question, answer in questions
            ],
        }

    def _insert_batch(self, specs: list[dict]) -> None:
        tenders = []
        for spec in specs:
            year = spec["created_at"].year
            self.counters[(spec["prefix"], year)] += 1
            number = self.counters[(spec["prefix"], year)]
            template = spec["template"]
            tenders.append(
                Tender(
                    buyer_id=spec["buyer"],
                    reference=f"{spec['prefix']}-{year}-{number:04d}",
                    reference_number=number,
                    title=spec["title"],
                    description=spec["description"],
                    contract_type=template.contract_type,
                    main_cpv_id=template.cpv_codes[0],
                    place_of_performance_id=spec["municipality"],
                    estimated_value_min=spec["value"],
                    procedure=spec["procedure"],
                    award_criteria_type=(
                        AwardCriteriaType.PRICE_QUALITY
                        if spec["criteria"]
                        else AwardCriteriaType.LOWEST_PRICE
                    ),
                    question_deadline=spec["question_deadline"],
                    quote_deadline=spec["quote_deadline"],
                    contact_name="Team Inkoop",
                    contact_email="inkoop@gemeente.example",
                    tenderned_reference=spec["tenderned"],
                    status=spec["status"],
                    cancellation_reason=spec["cancel_reason"],
                    created_at=spec["created_at"],
                    published_at=spec["published_at"],
                    cancelled_at=self.now if spec["cancel_reason"] else None,
                )
            )
        Tender.objects.bulk_create(tenders, batch_size=BATCH)
        through = Tender.additional_cpv.through
        through.objects.bulk_create(
            [
                through(tender_id=tender.pk, cpvcode_id=code)
                for tender, spec in zip(tenders, specs, strict=True)
                for code in spec["template"].cpv_codes[1:]
            ],
            batch_size=BATCH,
        )
        Lot.objects.bulk_create(
            [
                Lot(
                    tender_id=tender.pk,
                    number=number,
                    title=lot_title,
                    estimated_value=lot_value,
                    suitable_for_local_smes=suitable,
                )
                for tender, spec in zip(tenders, specs, strict=True)
                for number, (lot_title, lot_value, suitable) in enumerate(spec["lots"], start=1)
            ],
            batch_size=BATCH,
        )
        AwardCriterion.objects.bulk_create(
            [
                AwardCriterion(tender_id=tender.pk, name=name, weight=weight, position=position)
                for tender, spec in zip(tenders, specs, strict=True)
                for position, (name, weight) in enumerate(spec["criteria"], start=1)
            ],
            batch_size=BATCH,
        )
        Question.objects.bulk_create(
            [
                Question(
                    tender_id=tender.pk,
                    number=number,
                    firm_id=firm_id,
                    text=question,
                    asked_at=tender.published_at + timedelta(days=1, hours=number),
                    answer=answer,
                    answered_at=tender.published_at + timedelta(days=2, hours=number),
                    published_at=tender.published_at + timedelta(days=2, hours=number + 1),
                )
                for tender, spec in zip(tenders, specs, strict=True)
                for number, (question, answer, firm_id) in enumerate(spec["questions"], start=1)
            ],
            batch_size=BATCH,
        )


def _noon(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_default_timezone())


def _analyse() -> None:
    """PostgreSQL: what autovacuum would have done by the time anyone browses."""
    tender_models = (Tender, Tender.additional_cpv.through, Lot, AwardCriterion, Question)
    vacuum_analyse((*FIRM_MODELS, *tender_models))


# Measuring -----------------------------------------------------------------------------------


@dataclass
class PageSamples:
    url: str
    wall_ns: list[int] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    size: int = 0


def measure_pages(
    client: Client, urls: dict[str, str], *, runs: int, warmup: int, seed: int, bar: tqdm
) -> dict[str, PageSamples]:
    """Request every page once per round, in a shuffled order each round so that neither a noisy
    moment on a shared machine nor a warm cache favours one page; warm-up rounds are not kept."""
    samples = {name: PageSamples(url) for name, url in urls.items()}
    cold = {page.name for page in PAGES if page.cold}
    order = list(urls)
    rng = random.Random(seed)
    for repetition in range(warmup + runs):
        rng.shuffle(order)
        for name in order:
            url = urls[name]
            if name in cold:
                # A query string never asked before: a cache miss, and no other page's entry lost.
                url += f"{'&' if '?' in url else '?'}cold={repetition}"
            start = time.perf_counter_ns()
            response = client.get(url, secure=True)
            elapsed = time.perf_counter_ns() - start
            sample = samples[name]
            sample.statuses[response.status_code] += 1
            sample.size = len(response.content)
            if repetition >= warmup:
                sample.wall_ns.append(elapsed)
        bar.update(1)
    return samples


# The whole run -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PagesBenchmarkConfig:
    tenders: int = 10_000
    suppliers: int = 100_000
    runs: int = 30
    warmup: int = 5
    seed: int = 2026
    progress: bool = True


def pages_benchmark(
    config: PagesBenchmarkConfig,
    vocabulary: FirmVocabulary,
    log: Callable[[str], None] = lambda message: None,
) -> dict:
    """Run the whole benchmark in a throwaway database and return the report (see
    ``docs/benchmarks.md`` for its shape)."""
    disable = not config.progress
    setup_s: dict[str, float] = {}
    with throwaway_database(log) as database_name:
        engine = connection.vendor
        started = time.perf_counter()
        reference_data_load()
        setup_s["reference_data"] = time.perf_counter() - started

        log(f"Generating {config.suppliers:,} firms…")
        started = time.perf_counter()
        firms = FirmGenerator(vocabulary, config.suppliers, config.seed)
        with progress_bar(config.suppliers, "firms", disable) as bar:
            firms.insert(config.suppliers, bar)
        setup_s["generate_firms"] = time.perf_counter() - started

        started = time.perf_counter()
        with progress_bar(config.suppliers, "index firms", disable) as bar:
            DatabaseBackend().rebuild(progress=lambda done: bar.update(done - bar.n))
        setup_s["index_firms"] = time.perf_counter() - started

        log(f"Generating {config.tenders:,} tenders…")
        started = time.perf_counter()
        tenders = TenderGenerator(config.seed, timezone.now())
        with progress_bar(config.tenders, "tenders", disable, unit="tender") as bar:
            tenders.insert(config.tenders, bar)
        setup_s["generate_tenders"] = time.perf_counter() - started
        _analyse()

        urls = _urls()
        counts = _counts()
        matches = {page.name: _matches(urls[page.name]) for page in PAGES if page.tender_list}
        log(f"Measuring: {config.warmup} warm-up + {config.runs} rounds of {len(urls)} pages…")
        with (
            _pages_settings(),
            progress_bar(config.warmup + config.runs, "measure", disable, unit="round") as bar,
        ):
            samples = measure_pages(
                Client(),
                urls,
                runs=config.runs,
                warmup=config.warmup,
                seed=config.seed,
                bar=bar,
            )
    log(f"Removed the throwaway database {database_name}.")
    return _report(config, engine, samples, counts, matches, setup_s)


@contextmanager
def _pages_settings() -> Iterator[None]:
    from django.conf import settings

    with override_settings(
        ROOT_URLCONF=__name__,
        # The test client's host; HTTPS like production (no redirect when SECURE_SSL_REDIRECT).
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        # The supplier page searches the benchmark's own database index, never a developer's
        # Elasticsearch index.
        SUPPLIER_SEARCH_BACKEND="suppliers.search.database.DatabaseBackend",
    ):
        get_backend.cache_clear()
        try:
            yield
        finally:
            get_backend.cache_clear()


def _urls() -> dict[str, str]:
    """Every page's URL; the measured tender is a public open one with lots and questions, as
    a visitor would most likely open."""
    public = public_tenders().open()
    tender = (
        public.filter(lots__isnull=False, questions__isnull=False).order_by("pk").first()
        or public.order_by("pk").first()
        or public_tenders().order_by("pk").first()
    )
    return {page.name: page.url.format(tender=tender.pk if tender else 0) for page in PAGES}


def _matches(url: str) -> int | None:
    """How many public tenders a tender-list URL finds (None: the page rejects its filters)."""
    filterset = TenderFilter(QueryDict(urlsplit(url).query), queryset=public_tenders())
    return filterset.qs.count() if filterset.is_valid() else None


def _counts() -> dict[str, int]:
    now = timezone.now()
    return {
        "tenders": Tender.objects.count(),
        "tenders_public": public_tenders().count(),
        "tenders_open_public": public_tenders().open(now).count(),
        "firms": Firm.objects.count(),
        "municipalities_with_tenders": Tender.objects.values("buyer").distinct().count(),
    }


def _report(config, engine, samples, counts, matches, setup_s) -> dict:
    baseline = samples[BASELINE]
    base_p50, base_p95 = ms(baseline.wall_ns, 0.5), ms(baseline.wall_ns, 0.95)
    pages = {}
    for page in PAGES:
        sample = samples[page.name]
        p50, p95 = ms(sample.wall_ns, 0.5), ms(sample.wall_ns, 0.95)
        row = {
            "url": sample.url,
            "statuses": {str(code): n for code, n in sorted(sample.statuses.items())},
            "bytes": sample.size,
            "p50_ms": p50,
            "p95_ms": p95,
            "ratio_p50": ratio(p50, base_p50),
            "ratio_p95": ratio(p95, base_p95),
        }
        if page.tender_list:
            row["matches"] = matches[page.name]
            row["targets"] = {
                "p95_limit_ms": TARGET_P95_MS,
                "p95_met": p95 <= TARGET_P95_MS,
                "ratio_limit": TARGET_RATIO,
                "ratio_met": row["ratio_p95"] is not None and row["ratio_p95"] <= TARGET_RATIO,
            }
        pages[page.name] = row
    return {
        "tenders": config.tenders,
        "suppliers": config.suppliers,
        "engine": engine,
        "runs": config.runs,
        "warmup": config.warmup,
        "seed": config.seed,
        "baseline": BASELINE,
        "counts": counts,
        "pages": pages,
        "all_ok": all(set(row["statuses"]) == {"200"} for row in pages.values()),
        "targets_met": all(
            row["targets"]["p95_met"] and row["targets"]["ratio_met"]
            for row in pages.values()
            if "targets" in row
        ),
        "setup_s": {key: round(value, 2) for key, value in setup_s.items()},
    }
