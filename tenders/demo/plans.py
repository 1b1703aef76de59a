"""Deterministic plans for demo tenders: which buyer puts out what, when, with which procedure."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from suppliers.demo.firms import STREETS
from tenders.demo.people import BUYERS
from tenders.demo.wording import (
    AREAS,
    BUILDER_KVK,
    BUYER_WEIGHTS,
    CANCEL_REASONS,
    CRITERIA_SETS,
    PAINTER_KVK,
    QUESTIONS,
    SITES,
    TENDER_TEMPLATES,
    TenderTemplate,
)
from tenders.models import (
    ContractType,
)
from tenders.services import (
    LotData,
)

# Drawn per generated tender: draft, open (taking quotes), closed (deadline passed), cancelled.
DEMO_STATES = {"draft": 0.15, "open": 0.45, "closed": 0.28, "cancelled": 0.12}


@dataclass(frozen=True)
class TenderPlan:
    """One demo tender as drawn, before it meets the database (which decides the procedure
    from the buyer's policy and, for invite-only ones, which firms are invited)."""

    buyer: str  # the buying organisation's slug
    title: str
    description: str
    contract_type: str
    cpv_codes: tuple[str, ...]  # the main code first
    value: Decimal  # the single value, or the top of the range: it decides the procedure
    value_min: Decimal | None  # the lower end, when the value is a range
    lots: tuple[LotData, ...]
    criteria: tuple[tuple[str, int], ...]  # empty: lowest price
    state: str  # a key of DEMO_STATES
    question_deadline: datetime
    quote_deadline: datetime
    published_at: datetime | None
    created_at: datetime
    tenderned_reference: str  # used when the procedure is an open one
    cancel_reason: str = ""
    invited: int = 4  # firms invited when it turns out a multiple-quote procedure
    must_invite: tuple[str, ...] = ()  # KvK numbers
    followers: int = 0
    followed_by: tuple[str, ...] = ()  # KvK numbers
    questions: tuple[tuple[str, str, bool], ...] = ()  # (question, answer, answered)
    contact: int = 0  # which of the buyer's people


def tender_wording(
    template: TenderTemplate,
    rng: random.Random,
    *,
    place: str,
    areas: Sequence[str],
    year: int,
    lots: int = 0,
) -> tuple[str, str, list[str]]:
    """A title, a description and ``lots`` lot titles for this kind of assignment."""
    start = year + 1
    site, the_site = rng.choice(SITES)
    values = {
        "site": site,
        "the_site": the_site,
        "area": rng.choice(areas),
        "street": rng.choice(STREETS),
        "place": place,
        "year": start,
        "period": f"{start}–{start + rng.randint(1, 3)}",
    }
    title = rng.choice(template.titles).format(**values)
    title = title[0].upper() + title[1:]
    description = template.description.format(**values)
    lot_titles = [lot.format(**values) for lot in template.lots[:lots]]
    if lot_titles:
        description += (
            "\n\nDe opdracht is verdeeld in percelen, zodat ook kleinere bedrijven kunnen "
            "inschrijven."
        )
    return title, description, lot_titles


def round_value(value: float) -> Decimal:
    """An estimate as a buyer writes it: € 23.500, € 185.000, € 1.275.000."""
    if value < 20_000:
        step = 500
    elif value < 100_000:
        step = 1_000
    elif value < 1_000_000:
        step = 5_000
    else:
        step = 25_000
    return Decimal(max(step, round(value / step) * step))


def template_value(template: TenderTemplate, rng: random.Random) -> Decimal:
    """An estimated value in the template's range, log-uniform but skewed towards the top, so
    that a fair share of the tenders is large enough for an open procedure."""
    low, high = (math.log(value) for value in template.values)
    return round_value(math.exp(low + (high - low) * rng.random() ** 0.6))


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_default_timezone())


def _dates(rng: random.Random, state: str, today: date) -> dict[str, datetime | None]:
    """Deadlines at noon, relative to today: open ones ahead, closed ones behind."""
    if state == "draft":
        quote_day = today + timedelta(days=rng.randint(20, 60))
    elif state == "open" or (state == "cancelled" and rng.random() < 0.6):
        quote_day = today + timedelta(days=rng.randint(6, 45))
    else:
        quote_day = today - timedelta(days=rng.randint(1, 75))
    question_day = quote_day - timedelta(days=rng.randint(6, 12))
    published_at = None
    if state == "draft":
        created_day = today - timedelta(days=rng.randint(0, 20))
    else:
        publish_day = min(question_day, today) - timedelta(days=rng.randint(3, 21))
        published_at = _at(publish_day, rng.randint(8, 16), rng.choice((0, 15, 30, 45)))
        created_day = publish_day - timedelta(days=rng.randint(1, 14))
    return {
        "quote_deadline": _at(quote_day, 12),
        "question_deadline": _at(question_day, 12),
        "published_at": published_at,
        "created_at": _at(created_day, rng.randint(8, 16), rng.randint(0, 59)),
    }


def _buyer_place(slug: str) -> tuple[str, str]:
    """(municipality code, name) of a demo buyer."""
    for buyer_slug, name, code in BUYERS:
        if buyer_slug == slug:
            return code, name.removeprefix("Gemeente ")
    raise KeyError(slug)


def _generated_plan(rng: random.Random, today: date, taken: set[tuple[str, str]]) -> TenderPlan:
    buyer = rng.choices(list(BUYER_WEIGHTS), weights=list(BUYER_WEIGHTS.values()))[0]
    code, place = _buyer_place(buyer)
    template_weights = [template.weight for template in TENDER_TEMPLATES]
    for _attempt in range(30):
        template = rng.choices(TENDER_TEMPLATES, weights=template_weights)[0]
        value = template_value(template, rng)
        split = bool(template.lots) and value >= 100_000 and rng.random() < 0.5
        lot_count = min(len(template.lots), rng.randint(2, 3)) if split else 0
        title, description, lot_titles = tender_wording(
            template, rng, place=place, areas=AREAS[code], year=today.year, lots=lot_count
        )
        if (buyer, title) not in taken:
            break
    else:
        title = f"{title} ({len(taken) + 1})"
    taken.add((buyer, title))
    value_min = None
    if rng.random() < 0.25:
        value_min = round_value(float(value) * rng.uniform(0.7, 0.85))
    shares = [rng.uniform(1, 3) for _title in lot_titles]
    lot_values = [round_value(float(value) * share / sum(shares)) for share in shares]
    lots = tuple(
        LotData(
            title=lot_title,
            estimated_value=lot_value,
            # Smaller lots are the ones a local firm can take on its own.
            suitable_for_local_smes=rng.random() < (0.7 if lot_value < 250_000 else 0.2),
        )
        for lot_title, lot_value in zip(lot_titles, lot_values, strict=True)
    )
    lowest_price_share = 0.6 if value < 50_000 else 0.25
    criteria = () if rng.random() < lowest_price_share else rng.choice(CRITERIA_SETS)
    state = rng.choices(list(DEMO_STATES), weights=list(DEMO_STATES.values()))[0]
    questions = ()
    if state != "draft":
        count = rng.choices((0, 1, 2, 3), weights=(3, 3, 2, 1))[0]
        questions = tuple(
            (question, answer, rng.random() < 0.6)
            for question, answer in rng.sample(QUESTIONS, count)
        )
    return TenderPlan(
        buyer=buyer,
        title=title,
        description=description,
        contract_type=template.contract_type,
        cpv_codes=template.cpv_codes,
        value=value,
        value_min=value_min,
        lots=lots,
        criteria=criteria,
        state=state,
        tenderned_reference=str(rng.randint(395_000, 425_000)),
        cancel_reason=rng.choice(CANCEL_REASONS),
        invited=rng.randint(3, 5),
        followers=rng.randint(0, 3),
        questions=questions,
        contact=rng.randrange(2),
        **_dates(rng, state, today),
    )


def anchor_plans(today: date) -> list[TenderPlan]:
    """The tenders every demo has, first: each shows something a demo login should find."""
    start = today.year + 1

    def dates(quote_in: int, question_in: int, published_ago: int | None) -> dict:
        published = None
        if published_ago is not None:
            published = _at(today - timedelta(days=published_ago), 10)
        created = published or _at(today, 9)
        return {
            "quote_deadline": _at(today + timedelta(days=quote_in), 12),
            "question_deadline": _at(today + timedelta(days=question_in), 12),
            "published_at": published,
            "created_at": created - timedelta(days=3),
        }

    def money(amount: int) -> Decimal:
        return Decimal(amount)

    return [
        # The painter (schilder@firma.example) is invited to this one.
        TenderPlan(
            buyer="gemeente-dordrecht",
            title="Buitenschilderwerk basisscholen Crabbehof en Wielwijk",
            description="Schilderen van kozijnen, deuren, boeidelen en gevelbeplating van "
            "twee basisscholen, met houtrotherstel en het vervangen van enkele ruiten.\n\n"
            f"Het werk gebeurt in de zomervakantie van {start}; de scholen blijven daarna "
            "ongestoord in gebruik.",
            contract_type=ContractType.WORKS,
            cpv_codes=("45442100", "45440000", "45262100"),
            value=money(185_000),
            value_min=None,
            lots=(
                LotData(
                    "Basisschool De Regenboog, Crabbehof",
                    "Buitenschilderwerk en houtrotherstel.",
                    money(95_000),
                    suitable_for_local_smes=True,
                ),
                LotData(
                    "IKC De Wilgen, Wielwijk",
                    "Buitenschilderwerk, houtrotherstel en beglazing.",
                    money(90_000),
                    suitable_for_local_smes=True,
                ),
            ),
            criteria=(
                ("Prijs", 40),
                ("Plan van aanpak en planning", 30),
                ("Overlast voor leerlingen en omwonenden", 20),
                ("Duurzaamheid", 10),
            ),
            state="open",
            tenderned_reference="",
            must_invite=(PAINTER_KVK,),
            followed_by=(PAINTER_KVK,),
            questions=(
                (*QUESTIONS[1], True),
                (
                    "Mogen wij ook op zaterdag werken?",
                    "Ja, van 8.00 tot 17.00 uur, na melding bij de conciërge.",
                    False,
                ),
            ),
            **dates(16, 6, 5),
        ),
        TenderPlan(
            buyer="gemeente-dordrecht",
            title="Dakrenovatie en verduurzaming Sportcentrum Dordrecht",
            description="Vervangen van de dakbedekking (ongeveer 6.500 m²), na-isolatie van "
            "het dak en vernieuwen van de hemelwaterafvoer van het sportcentrum.\n\n"
            "Het sportcentrum blijft open; het werk wordt in fasen uitgevoerd.",
            contract_type=ContractType.WORKS,
            cpv_codes=("45261900", "45261410", "45321000"),
            value=money(1_900_000),
            value_min=money(1_650_000),
            lots=(
                LotData("Dakbedekking en isolatie", "", money(1_450_000)),
                LotData(
                    "Hemelwaterafvoer, lood- en zinkwerk",
                    "",
                    money(250_000),
                    suitable_for_local_smes=True,
                ),
            ),
            criteria=CRITERIA_SETS[2],
            state="open",
            tenderned_reference="412874",
            followers=2,
            followed_by=(BUILDER_KVK,),
            questions=((*QUESTIONS[6], True), (*QUESTIONS[5], True)),
            **dates(34, 20, 6),
        ),
        TenderPlan(
            buyer="gemeente-zwijndrecht",
            title=f"Groenonderhoud openbare ruimte Zwijndrecht {start}–{start + 3}",
            description="Beeldgestuurd onderhoud van het openbare groen in heel Zwijndrecht "
            "op beeldkwaliteit B (CROW), in drie percelen.\n\nEen perceel per wijk houdt de "
            "opdracht bereikbaar voor hoveniers uit de regio.",
            contract_type=ContractType.SERVICES,
            cpv_codes=("77310000", "77313000", "77340000"),
            value=money(780_000),
            value_min=None,
            lots=(
                LotData("Walburg en Nederhoven", "", money(260_000), True),
                LotData("Heerjansdam en Kort Ambacht", "", money(240_000), True),
                LotData("Bomen in heel Zwijndrecht", "", money(280_000)),
            ),
            criteria=CRITERIA_SETS[0],
            state="open",
            tenderned_reference="409311",
            followers=3,
            questions=((*QUESTIONS[0], True), (*QUESTIONS[3], True)),
            contact=0,
            **dates(41, 27, 12),
        ),
        TenderPlan(
            buyer="gemeente-papendrecht",
            title="Vervanging werkplekken en servicedesk Papendrecht",
            description="Levering van 180 laptops met dockingstation en de servicedesk voor "
            "de medewerkers van de gemeente, vier jaar lang.",
            contract_type=ContractType.SERVICES,
            cpv_codes=("72250000", "30213000", "72611000"),
            value=money(140_000),
            value_min=None,
            lots=(),
            criteria=CRITERIA_SETS[3],
            state="open",
            tenderned_reference="",
            invited=3,
            questions=((*QUESTIONS[7], True),),
            **dates(12, 4, 9),
        ),
        TenderPlan(
            buyer="gemeente-sliedrecht",
            title="Catering raadsvergaderingen en bijeenkomsten Sliedrecht",
            description="Broodjes, soep en vergaderservice bij de raadsvergaderingen en "
            "zo'n tien bijeenkomsten per jaar in het gemeentehuis.",
            contract_type=ContractType.SERVICES,
            cpv_codes=("55520000",),
            value=money(32_000),
            value_min=None,
            lots=(),
            criteria=(),
            state="closed",
            tenderned_reference="",
            questions=((*QUESTIONS[4], True),),
            **dates(-10, -17, 30),
        ),
        TenderPlan(
            buyer="gemeente-dordrecht",
            title=f"Schoonmaakonderhoud stadskantoor {start}–{start + 2}",
            description="Dagelijkse schoonmaak, periodieke vloerreiniging en glasbewassing "
            "van het stadskantoor aan de Spuiboulevard.",
            contract_type=ContractType.SERVICES,
            cpv_codes=("90911200", "90911300"),
            value=money(420_000),
            value_min=None,
            lots=(),
            criteria=CRITERIA_SETS[3],
            state="draft",
            tenderned_reference="",
            contact=1,
            **dates(45, 32, None),
        ),
        TenderPlan(
            buyer="gemeente-zwijndrecht",
            title="Herinrichting Kerkstraat, Heerjansdam",
            description="Nieuwe bestrating, vervanging van het riool en meer groen in de "
            "Kerkstraat.",
            contract_type=ContractType.WORKS,
            cpv_codes=("45233222", "45232130"),
            value=money(640_000),
            value_min=None,
            lots=(),
            criteria=CRITERIA_SETS[1],
            state="cancelled",
            tenderned_reference="",
            cancel_reason=CANCEL_REASONS[1],
            **dates(20, 10, 8),
        ),
        TenderPlan(
            buyer="gemeente-dordrecht",
            title="Schilderwerk kozijnen kinderboerderij De Hooiberg",
            description="Schilderen van de kozijnen en deuren van de kinderboerderij, met "
            "klein houtrotherstel.",
            contract_type=ContractType.WORKS,
            cpv_codes=("45442100",),
            value=money(38_000),
            value_min=None,
            lots=(),
            criteria=(),
            state="open",
            tenderned_reference="",
            must_invite=(PAINTER_KVK,),
            contact=1,
            **dates(9, 3, 4),
        ),
    ]


def tender_plans(count: int, seed: int, *, now: datetime) -> list[TenderPlan]:
    """The first ``count`` demo tenders: the same for the same seed and day, and the first n of
    a seed are the same for any count."""
    today = timezone.localdate(now)
    anchors = anchor_plans(today)
    plans = anchors[:count]
    taken = {(plan.buyer, plan.title) for plan in anchors}
    for index in range(len(plans), count):
        plans.append(_generated_plan(random.Random(f"{seed}:tender:{index}"), today, taken))
    return plans
