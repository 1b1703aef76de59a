"""``benchmark alerts``: matching one published tender against 10,000 and 100,000 subscriptions,
the indexed query of ``tenders.alerts.matching`` against a naive baseline that loads every
subscription and checks it in Python, in the same run and a throwaway database."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from marketplace.geo import chord_squared_for_km, unit_vector
from marketplace.models import (
    CpvCode,
    Membership,
    Municipality,
    Organisation,
    Role,
    User,
    cpv_prefix,
)
from marketplace.reference_data import reference_data_load
from suppliers.benchmarks.measuring import ms, ratio, throwaway_database, vacuum_analyse
from tenders.alerts.matching import TenderFacts, matching_subscriptions
from tenders.alerts.models import Subscription, SubscriptionCpv, SubscriptionKeyword

SIZES = (10_000, 100_000)
TARGET_P95_MS = 100.0
TARGET_GROWTH = 3.0
TARGET_SPEEDUP = 10.0
KEYWORDS = ("schilder", "dak", "groen", "advies", "schoonmaak", "riool", "ict", "catering")
PROCEDURES = ("national", "european", "multiple")
ALERT_MODELS = (Subscription, SubscriptionCpv, SubscriptionKeyword)


@dataclass(frozen=True)
class AlertsBenchmarkConfig:
    runs: int = 30
    warmup: int = 5
    naive_runs: int = 3
    seed: int = 2026


def _generate(count: int, start: int, rng: random.Random, owner: tuple[int, int]) -> None:
    """``count`` subscriptions: 75% with CPV subtrees, 30% keywords, a place for 85%
    (region, municipality or a 10–50 km radius), some procedures and value ranges."""
    municipalities = list(Municipality.objects.all())
    regions = sorted(
        {m.region_id for m in municipalities} | {m.province_id for m in municipalities}
    )
    subtrees = list(CpvCode.objects.filter(level__in=(2, 3, 4, 5)).values_list("code", flat=True))
    user_id, firm_id = owner
    now = timezone.now()
    subs, cpvs, words = [], [], []
    for number in range(start, start + count):
        place = rng.random()
        sub = Subscription(
            pk=number + 1,
            user_id=user_id,
            firm_id=firm_id,
            name=f"Melding {number}",
            created_at=now,
        )
        if place < 0.40:
            sub.region_id = rng.choice(regions)
        elif place < 0.60:
            sub.municipality_id = rng.choice(municipalities).code
        elif place < 0.85:
            near = rng.choice(municipalities)
            sub.near_id, sub.radius_km = near.code, float(rng.choice((10, 15, 25, 50)))
            sub.near_x, sub.near_y, sub.near_z = unit_vector(near.latitude, near.longitude)
            sub.near_chord_squared = chord_squared_for_km(sub.radius_km)
        if rng.random() < 0.75:
            sub.has_cpv = True
            for code in set(rng.sample(subtrees, rng.choice((1, 1, 2, 3)))):
                cpvs.append(
                    SubscriptionCpv(subscription_id=sub.pk, code=code, prefix=cpv_prefix(code))
                )
        if not sub.has_cpv or rng.random() < 0.1:
            sub.has_keywords = True
            for word in set(rng.sample(KEYWORDS, rng.choice((1, 2)))):
                words.append(SubscriptionKeyword(subscription_id=sub.pk, word=word))
        if rng.random() < 0.2:
            sub.procedures = f",{rng.choice(PROCEDURES)},"
        if rng.random() < 0.2:
            sub.value_max = Decimal(rng.choice((50_000, 250_000, 1_000_000)))
        subs.append(sub)
    Subscription.objects.bulk_create(subs, batch_size=2000)
    SubscriptionCpv.objects.bulk_create(cpvs, batch_size=2000)
    SubscriptionKeyword.objects.bulk_create(words, batch_size=2000)


def _facts() -> TenderFacts:
    """A € 120.000 painting job in Dordrecht, national open procedure."""
    place = Municipality.objects.get(pk="GM0505")
    return TenderFacts(
        cpv_codes=("45442100", "45442110"),
        words=frozenset({"schilderwerk", "gemeentehuis", "buitenschilderwerk", "kozijnen"}),
        municipality_code=place.code,
        region_codes=(place.region_id, place.corop_id, place.province_id),
        vector=unit_vector(place.latitude, place.longitude),
        procedure="national",
        value_low=Decimal(120_000),
        value_high=Decimal(120_000),
    )


def naive_matches(facts: TenderFacts) -> set[int]:
    """The baseline: every subscription loaded and checked in Python."""
    found = set()
    subscriptions = Subscription.objects.filter(paused=False).prefetch_related("cpvs", "keywords")
    for sub in subscriptions:
        if sub.has_cpv and not any(
            code.startswith(entry.prefix) for entry in sub.cpvs.all() for code in facts.cpv_codes
        ):
            continue
        if sub.has_keywords and not any(
            word.startswith(k.word) for k in sub.keywords.all() for word in facts.words
        ):
            continue
        if sub.has_place:
            x, y, z = facts.vector
            inside = sub.near_id is not None and (
                (sub.near_x - x) ** 2 + (sub.near_y - y) ** 2 + (sub.near_z - z) ** 2
                <= sub.near_chord_squared
            )
            if not (
                sub.municipality_id == facts.municipality_code
                or sub.region_id in facts.region_codes
                or inside
            ):
                continue
        if sub.procedures and f",{facts.procedure}," not in sub.procedures:
            continue
        if sub.value_max is not None and sub.value_max < facts.value_low:
            continue
        found.add(sub.pk)
    return found


def _time(function: Callable[[], object], runs: int, warmup: int) -> tuple[list[int], object]:
    result = None
    for _ in range(warmup):
        result = function()
    samples = []
    for _ in range(runs):
        started = time.perf_counter_ns()
        result = function()
        samples.append(time.perf_counter_ns() - started)
    return samples, result


def alerts_benchmark(config: AlertsBenchmarkConfig, log: Callable[[str], None]) -> dict:
    rng = random.Random(config.seed)
    sizes: dict[str, dict] = {}
    with throwaway_database(log) as database_name:
        engine = connection.vendor
        reference_data_load()
        user = User.objects.create_user(email="bench@firma.example", password=None)
        firm = Organisation.objects.create(name="Bench", slug="bench", kind="firm")
        Membership.objects.create(user=user, organisation=firm, role=Role.FIRM_ADMIN)
        facts = _facts()
        made = 0
        for size in SIZES:
            log(f"Generating subscriptions up to {size:,}…")
            _generate(size - made, made, rng, (user.pk, firm.pk))
            made = size
            vacuum_analyse(ALERT_MODELS)

            def indexed() -> set[int]:
                return set(matching_subscriptions(None, facts).values_list("pk", flat=True))

            samples, found = _time(indexed, config.runs, config.warmup)
            naive_samples, naive_found = _time(lambda: naive_matches(facts), config.naive_runs, 0)
            if found != naive_found:
                raise RuntimeError("the indexed query and the naive check disagree")
            sizes[str(size)] = {
                "matched": len(found),
                "median_ms": ms(samples, 0.5),
                "p95_ms": ms(samples, 0.95),
                "naive_median_ms": ms(naive_samples, 0.5),
                "speedup": ratio(ms(naive_samples, 0.5), ms(samples, 0.5)),
            }
    log(f"Removed the throwaway database {database_name}.")
    small, large = (sizes[str(size)] for size in SIZES)
    return {
        "engine": engine,
        "runs": config.runs,
        "sizes": sizes,
        "growth": ratio(large["p95_ms"], small["p95_ms"]),
        "targets": {
            "p95_ms": TARGET_P95_MS,
            "growth": TARGET_GROWTH,
            "speedup": TARGET_SPEEDUP,
        },
    }
