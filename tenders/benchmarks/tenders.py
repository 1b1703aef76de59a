"""Generated tenders for the page benchmark: a municipal archive of a few years, from one buying
organisation per municipality, spread over the country like the generated firms."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from tqdm import tqdm

from marketplace.models import Municipality, Organisation
from suppliers.benchmarks.firms import places_and_weights
from suppliers.models import Firm
from tenders.demo import (
    CANCEL_REASONS,
    CRITERIA_SETS,
    QUESTIONS,
    TENDER_TEMPLATES,
    round_value,
    template_value,
    tender_wording,
)
from tenders.models import (
    AwardCriteriaType,
    AwardCriterion,
    EuThreshold,
    Lot,
    Procedure,
    Question,
    Status,
    Tender,
    reference_prefix,
)
from tenders.policy import DEFAULT_POLICY_BANDS

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


# What the generator writes, for VACUUM ANALYZE.
TENDER_MODELS = (Tender, Tender.additional_cpv.through, Lot, AwardCriterion, Question)
